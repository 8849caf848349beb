/** An owner key (or receipt) made safe for an element id: anything but letters, digits, _ and - becomes -. */
export function domId(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '-')
}
