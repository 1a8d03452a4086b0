/**
 * `[prefix, end)`: every path under a folder as a half-open range, so a `path >= ? AND path < ?` query uses
 * the UNIQUE index on path instead of a LIKE scan.
 */
export function pathRange(folder: string, separator: string): [string, string] {
  const prefix = folder.endsWith(separator) ? folder : folder + separator;
  // The character after the separator in code-point order closes the range.
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return [prefix, end];
}
