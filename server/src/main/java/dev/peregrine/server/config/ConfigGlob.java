package dev.peregrine.server.config;

/**
 * The glob match CONFIG GET uses, with Redis's {@code stringmatchlen} rules ({@code *}, {@code ?}, {@code [...]}
 * with ranges and {@code ^} negation, {@code \} escapes), ASCII case-insensitive. Kept private to the config
 * package; the keyspace has its own matcher. Stateless; any thread.
 */
final class ConfigGlob {
    private ConfigGlob() {
    }

    /** Whether {@code pattern} contains a glob character, i.e. CONFIG GET must scan rather than look up. */
    static boolean isPattern(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0, 0);
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static boolean match(String p, int pi, String s, int si, int nesting) {
        if (nesting > 1000) {
            return false;
        }
        while (pi < p.length()) {
            char pc = p.charAt(pi);
            switch (pc) {
                case '*':
                    while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length()) {
                        return true;
                    }
                    for (int k = si; k <= s.length(); k++) {
                        if (match(p, pi + 1, s, k, nesting + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= s.length()) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= s.length()) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length() && p.charAt(pi) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean hit = false;
                    char sc = lower(s.charAt(si));
                    while (pi < p.length() && p.charAt(pi) != ']') {
                        char c = p.charAt(pi);
                        if (c == '\\' && pi + 1 < p.length()) {
                            pi++;
                            hit |= lower(p.charAt(pi)) == sc;
                        } else if (pi + 2 < p.length() && p.charAt(pi + 1) == '-') {
                            char a = lower(c);
                            char b = lower(p.charAt(pi + 2));
                            if (a > b) {
                                char t = a;
                                a = b;
                                b = t;
                            }
                            hit |= sc >= a && sc <= b;
                            pi += 2;
                        } else {
                            hit |= lower(c) == sc;
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
                    if (pi + 1 < p.length()) {
                        pi++;
                        pc = p.charAt(pi);
                    }
                    // fall through: literal
                default:
                    if (si >= s.length() || lower(pc) != lower(s.charAt(si))) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
        }
        return si == s.length();
    }
}
