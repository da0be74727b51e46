package dev.peregrine.server.command.server;

/**
 * Redis glob-style matching ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]},
 * backslash escapes. Used by COMMAND LIST FILTERBY PATTERN. Stateless; any thread.
 */
final class GlobMatch {
    private GlobMatch() {
    }

    /** Whether {@code string} matches {@code pattern}; {@code nocase} folds ASCII letters. */
    static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, string, 0, nocase, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth) {
        if (depth > 1000) {
            return false;
        }
        while (pi < p.length && si <= s.length) {
            byte c = p[pi];
            switch (c) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si == s.length) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si == s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean hit = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            hit |= eq(p[pi], s[si], nocase);
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = fold(p[pi], nocase);
                            int hi = fold(p[pi + 2], nocase);
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int x = fold(s[si], nocase);
                            hit |= x >= lo && x <= hi;
                            pi += 2;
                        } else {
                            hit |= eq(p[pi], s[si], nocase);
                        }
                        pi++;
                    }
                    if (pi == p.length) {
                        pi--; // unterminated class: Redis treats the end as the closing bracket
                    }
                    if (hit == not) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through: literal
                default:
                    if (si == s.length || !eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
        }
        return pi == p.length && si == s.length;
    }

    private static int fold(byte b, boolean nocase) {
        int x = b & 0xff;
        return nocase && x >= 'A' && x <= 'Z' ? x + 32 : x;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return fold(a, nocase) == fold(b, nocase);
    }
}
