package dev.peregrine.server.config;

import dev.peregrine.storage.GlobMatcher;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CONFIG GET's selection of directives. Executor-only (reads the live configuration). */
public final class ConfigQuery {
    private ConfigQuery() {
    }

    /**
     * The directives CONFIG GET answers for {@code patterns}, keyed by the name to print, in order. A pattern
     * without glob characters is an exact (case-insensitive) name or alias, printed as given; hidden directives
     * answer only such an exact name. A glob matches declared names and aliases, printed as declared. A name is
     * answered once.
     */
    public static Map<String, Directive<?>> get(ServerConfig config, List<String> patterns) {
        Map<String, Directive<?>> matches = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (!isPattern(pattern)) {
                Directive<?> d = config.directive(pattern);
                if (d != null && !matches.containsKey(pattern)) {
                    matches.put(pattern, d);
                }
                continue;
            }
            for (Map.Entry<String, Directive<?>> e : config.names().entrySet()) {
                Directive<?> d = e.getValue();
                if (d.hidden() || matches.containsKey(e.getKey())) {
                    continue;
                }
                if (matches(pattern, e.getKey())) {
                    matches.put(e.getKey(), d);
                }
            }
        }
        return matches;
    }

    /** Whether {@code pattern} contains a glob character, i.e. CONFIG GET must scan rather than look up. */
    static boolean isPattern(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /** Redis's case-insensitive glob match of a directive name, as CONFIG GET does. */
    static boolean matches(String pattern, String name) {
        return GlobMatcher.matches(pattern.getBytes(StandardCharsets.ISO_8859_1),
                                   name.getBytes(StandardCharsets.ISO_8859_1), true);
    }
}
