/** A small typed HTTP client for tests: real requests over the loopback, JSON in and out. */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class ApiClient {
  private token: string | undefined;

  /** `fetchFn`: e.g. one that trusts a test certificate authority (tls-certificate.ts). */
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** A client that sends an already issued bearer token (an integration token, say). */
  static withToken(baseUrl: string, token: string): ApiClient {
    const client = new ApiClient(baseUrl);
    client.token = token;
    return client;
  }

  async login(username: string, password: string): Promise<void> {
    const response = await this.post<{ token: string }>('/api/auth/login', { username, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    this.token = response.body.token;
  }

  get<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    if (body === undefined) return this.request<T>('POST', path);
    return this.request<T>('POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  patch<T = unknown>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  postRaw<T = unknown>(path: string, body: string | FormData, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  delete<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  /** Any method, with or without a JSON body, authenticated like the others. */
  send<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    if (body === undefined) return this.request<T>(method, path);
    return this.request<T>(method, path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  /** A long-lived GET (server-sent events): the response, its body not read yet. */
  stream(path: string, signal: AbortSignal): Promise<Response> {
    return this.fetchFn(`${this.baseUrl}${path}`, { signal, headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
  }

  private async request<T>(method: string, path: string, body?: string | FormData, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await this.fetchFn(`${this.baseUrl}${path}`, {
      method,
      body,
      headers: { ...headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
