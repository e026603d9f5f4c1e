/**
 * The minimum a password must meet (NIST SP 800-63B §5.1.1.2: length over composition rules, and a
 * check against commonly used passwords). Returns every problem, so a form can show them all.
 */
const MIN_LENGTH = 10;
const MAX_LENGTH = 128;
// The most common choices in public breach lists, plus local ones a commune office would try.
const COMMON = new Set([
  '1234567890', '0123456789', '1111111111', 'qwertyuiop', 'password1', 'password12', 'password123', 'iloveyou12',
  'abc1234567', 'matkhau123', 'matkhau1234', 'admin12345', 'admin123456', 'administrator', 'ubndxa1234', 'vietnam123',
]);

export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_LENGTH) problems.push(`must be at least ${MIN_LENGTH} characters`);
  if (password.length > MAX_LENGTH) problems.push(`must be at most ${MAX_LENGTH} characters`);
  if (new Set(password).size < 4) problems.push('must not repeat the same few characters');
  if (COMMON.has(password.toLowerCase())) problems.push('is too common');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('must not contain the user name');
  }
  return problems;
}
