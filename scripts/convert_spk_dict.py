#!/usr/bin/env python3
"""Convert a Qwen2.5-Omni spk_dict.pt (a torch pickle: {name: {bos_token, cond, ref_mel}})
into spk_dict.safetensors with keys <name>/cond, <name>/ref_mel, <name>/bos_token, the form
Streamer's SpeakerDictionary reads. Needs torch and safetensors; run it where they exist:

    python3 scripts/convert_spk_dict.py /models/Qwen2.5-Omni-7B/spk_dict.pt /models/Qwen2.5-Omni-7B/spk_dict.safetensors
"""
import sys

import torch
from safetensors.torch import save_file


def convert(source: str, target: str) -> None:
    # weights_only keeps the pickle from running code; the dictionary holds only tensors and ints.
    speakers = torch.load(source, map_location="cpu", weights_only=True)
    tensors = {}
    for name, entry in speakers.items():
        if "/" in name:
            raise ValueError(f"speaker name {name!r} contains '/', the key separator")
        tensors[f"{name}/cond"] = torch.as_tensor(entry["cond"]).float().contiguous()
        tensors[f"{name}/ref_mel"] = torch.as_tensor(entry["ref_mel"]).float().contiguous()
        tensors[f"{name}/bos_token"] = torch.as_tensor(entry["bos_token"], dtype=torch.int64).reshape(1)
    save_file(tensors, target, metadata={"source": "spk_dict.pt"})
    print(f"{len(speakers)} speakers: {', '.join(sorted(speakers))} -> {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
