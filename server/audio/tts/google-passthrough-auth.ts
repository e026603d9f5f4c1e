/**
 * An auth client that adds no credentials, for a Google TTS REST endpoint that needs none: the test
 * stub, or an in-house proxy that holds the credentials itself (GOOGLE_TTS_ENDPOINT). Real
 * credentials are never sent there, since that endpoint is plain HTTP.
 */
import type { GoogleClientOptions } from './google-provider.js';

type AuthClient = NonNullable<GoogleClientOptions['authClient']>;

export function createPassThroughAuthClient(): AuthClient {
  // google-gax's REST fallback only checks for `getRequestHeaders` (fallback.js createStub) and then
  // calls `fetch` (fallbackServiceStub.js); the TTS client also writes a few fields onto the object.
  const client = {
    universeDomain: 'googleapis.com',
    getRequestHeaders: async () => new Headers(),
    getProjectId: async () => 'unauthenticated',
    fetch: (url: string | URL, init?: RequestInit) => fetch(url, init),
  };
  // google-auth-library's AuthClient is a class with protected members, so no plain object can satisfy its type.
  return client as unknown as AuthClient;
}
