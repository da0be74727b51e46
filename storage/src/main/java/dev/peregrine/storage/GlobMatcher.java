package dev.peregrine.storage;

/**
 * Glob-style matching of byte strings with Redis's semantics (KEYS, SCAN MATCH, PSUBSCRIBE and the like):
 * {@code *} any run of bytes, {@code ?} one byte, {@code [abc]}, {@code [^abc]}, {@code [a-z]} (a reversed range
 * {@code [z-a]} is accepted), {@code \x} a literal byte, everything else literal. A malformed pattern is matched
 * the way Redis matches it (an unterminated {@code [} set ends at the pattern's end; a trailing {@code \} is a
 * literal backslash). Bytes compare as signed values in ranges, as C's {@code char} does on Redis's platforms;
 * the no-case flag folds only ASCII letters.
 *
 * <p>Abusive patterns are bounded like Redis's: nesting of {@code *} beyond 1000 levels fails the match, and once
 * the rest of a pattern after a {@code *} failed at every position, no earlier {@code *} retries longer spans, so
 * {@code *a*a*a*...b} runs in polynomial time. Stateless; any thread.
 */
public final class GlobMatcher {
    private static final int MAX_NESTING = 1000;

    private GlobMatcher() {
    }

    /** Whether {@code string} matches {@code pattern}, both whole arrays. */
    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return matches(pattern, 0, pattern.length, string, 0, string.length, nocase);
    }

    /** Whether {@code string[so, so+slen)} matches {@code pattern[po, po+plen)}. */
    public static boolean matches(byte[] pattern, int po, int plen, byte[] string, int so, int slen,
                                  boolean nocase) {
        boolean[] skipLonger = new boolean[1];
        return match(pattern, po, po + plen, string, so, so + slen, nocase, skipLonger, 0);
    }

    /** The pattern byte at {@code i}, or 0 past the end (Redis patterns are NUL-terminated). */
    private static int at(byte[] p, int i, int end) {
        return i < end ? p[i] : 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static boolean same(int a, int b, boolean nocase) {
        return nocase ? lower(a) == lower(b) : a == b;
    }

    private static boolean match(byte[] p, int pi, int pEnd, byte[] s, int si, int sEnd, boolean nocase,
                                 boolean[] skipLonger, int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (pi < pEnd && si < sEnd) {
            int pc = p[pi];
            switch (pc) {
                case '*': {
                    while (pi + 1 < pEnd && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == pEnd) {
                        return true;
                    }
                    for (; si < sEnd; si++) {
                        if (match(p, pi + 1, pEnd, s, si, sEnd, nocase, skipLonger, nesting + 1)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                    }
                    // the rest failed from every position: longer spans for earlier stars cannot help
                    skipLonger[0] = true;
                    return false;
                }
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean negate = at(p, pi, pEnd) == '^';
                    if (negate) {
                        pi++;
                    }
                    boolean hit = false;
                    int c = s[si];
                    while (true) {
                        int b = at(p, pi, pEnd);
                        if (b == '\\' && pEnd - pi >= 2) {
                            pi++;
                            if (p[pi] == c) {
                                hit = true;
                            }
                        } else if (b == ']') {
                            break;
                        } else if (pi >= pEnd) {
                            pi--; // unterminated set: stay on the last byte, the step below leaves the pattern
                            break;
                        } else if (pEnd - pi >= 3 && p[pi + 1] == '-') {
                            int lo = p[pi];
                            int hi = p[pi + 2];
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int x = c;
                            if (nocase) {
                                lo = lower(lo);
                                hi = lower(hi);
                                x = lower(x);
                            }
                            pi += 2;
                            if (x >= lo && x <= hi) {
                                hit = true;
                            }
                        } else if (same(b, c, nocase)) {
                            hit = true;
                        }
                        pi++;
                    }
                    if (negate) {
                        hit = !hit;
                    }
                    if (!hit) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pEnd - pi >= 2) {
                        pi++;
                    }
                    if (!same(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
                default:
                    if (!same(pc, s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == sEnd) {
                while (pi < pEnd && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pEnd && si == sEnd;
    }
}
