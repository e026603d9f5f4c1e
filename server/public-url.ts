/**
 * The base URL receivers use to reach this server (audio downloads, clock sync). PUBLIC_URL when
 * configured; otherwise known only once the HTTP server is listening (port 0 in tests).
 */
export class PublicUrl {
  private bound: string | undefined;

  constructor(private readonly configured: string | undefined) {}

  /** Called once the HTTP server listens; ignored when PUBLIC_URL is configured. */
  bind(listeningUrl: string): void {
    this.bound = listeningUrl.replace(/\/+$/, '');
  }

  get value(): string {
    const url = this.configured ?? this.bound;
    if (!url) throw new Error('public URL requested before the HTTP server was listening');
    return url;
  }
}
