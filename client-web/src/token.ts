// The token lives in sessionStorage: it survives a reload of the tab but not the tab itself,
// and other tabs (possibly other people on a shared machine) never see it.
const key = 'streamer.token';

export function loadToken(): string | null {
  return sessionStorage.getItem(key);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(key, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(key);
}
