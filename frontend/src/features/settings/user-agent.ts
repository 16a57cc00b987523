/** A short name for the device of a session, from its `User-Agent` ("Chrome on Linux"). */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return "Unknown device";
  const browser =
    /Edg\//.test(ua) ? "Edge"
    : /Firefox\//.test(ua) ? "Firefox"
    : /(Chrome|Chromium)\//.test(ua) ? "Chrome"
    : /Version\/[\d.]+.*Safari\//.test(ua) ? "Safari"
    : /AppleWebKit\//.test(ua) ? "Desktop app"
    : null;
  const system =
    /Windows/.test(ua) ? "Windows"
    : /(iPhone|iPad)/.test(ua) ? "iOS"
    : /Mac OS X|Macintosh/.test(ua) ? "macOS"
    : /Android/.test(ua) ? "Android"
    : /Linux|X11/.test(ua) ? "Linux"
    : null;
  if (!browser) return ua.split(/\s+/)[0] ?? ua;
  return system ? `${browser} on ${system}` : browser;
}
