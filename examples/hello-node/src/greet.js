/** A greeting for `name`, refusing names that are not short plain text. */
export function greet(name = 'world') {
  const trimmed = String(name).trim();
  if (trimmed.length === 0) return 'Hello, world!';
  if (trimmed.length > 64 || /[\u0000-\u001f<>]/.test(trimmed)) {
    throw new RangeError('name must be 1-64 printable characters without < or >');
  }
  return `Hello, ${trimmed}!`;
}
