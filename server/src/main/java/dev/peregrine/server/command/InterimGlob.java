package dev.peregrine.server.command;

/**
 * INTERIM glob matcher for the MATCH option of HSCAN/SSCAN, with the semantics of Redis's {@code stringmatchlen}
 * ({@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, {@code \} escapes; case-sensitive). To be replaced by
 * {@code dev.peregrine.storage.GlobMatcher} once that lands; only the scan helpers use it.
 *
 * <p>Stateless; any thread.
 */
public final class InterimGlob {
    private InterimGlob() {
    }

    /** Whether {@code s} matches {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] s) {
        return match(pattern, 0, s, 0, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, int depth) {
        if (depth > 1000) {
            return false;
        }
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*': {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean hit = false;
                    while (true) {
                        if (pi >= p.length) {
                            pi--; // unterminated: the last char acts as the end, as Redis
                            break;
                        }
                        if (p[pi] == '\\' && pi + 2 < p.length) {
                            pi++;
                            if (p[pi] == s[si]) {
                                hit = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = p[pi] & 0xff;
                            int hi = p[pi + 2] & 0xff;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int x = s[si] & 0xff;
                            pi += 2;
                            if (x >= lo && x <= hi) {
                                hit = true;
                            }
                        } else if (p[pi] == s[si]) {
                            hit = true;
                        }
                        pi++;
                    }
                    if (not) {
                        hit = !hit;
                    }
                    if (!hit) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through: match the escaped byte literally
                default:
                    if (si >= s.length || p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
        }
        return si == s.length;
    }
}
