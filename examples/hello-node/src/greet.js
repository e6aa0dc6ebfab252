/** A greeting for `name`, refusing names that are not short plain text. */
export function greet(name = 'world') {
  const trimmed = String(name).trim();
  if (trimmed.length === 0) return 'Hello, world!';
  const unprintable = [...trimmed].some((ch) => ch.charCodeAt(0) < 32);
  if (trimmed.length > 64 || unprintable || /[<>]/.test(trimmed)) {
    throw new RangeError('name must be 1-64 printable characters without < or >');
  }
  return `Hello, ${trimmed}!`;
}
