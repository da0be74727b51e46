package dev.peregrine.server.config;

import java.util.List;

/**
 * How a directive's arguments parse and print, following Redis 7.2's config.c kinds: booleans ({@code yes}/{@code
 * no}), numbers (with memory units for byte sizes, {@code 1gb}, {@code 512mb}), enums, strings and the few special
 * directives with their own syntax.
 *
 * @param <T> the parsed value's type; values are immutable (or treated so)
 */
public interface ConfigType<T> {
    /**
     * @param args the directive's arguments (one for most, several for {@code save}, {@code
     *             client-output-buffer-limit} and the like)
     * @throws ConfigException with Redis's reason text
     */
    T parse(String[] args) throws ConfigException;

    /**
     * Parses arguments that change the current value rather than replace it (Redis's {@code
     * client-output-buffer-limit} applies only the classes named). Defaults to {@link #parse(String[])}.
     */
    default T parse(String[] args, T current) throws ConfigException {
        return parse(args);
    }

    /** The value as CONFIG GET shows it. */
    String format(T value);

    /**
     * The value as CONFIG REWRITE writes it: the text after the directive name of each line (several lines for
     * {@code save} and {@code client-output-buffer-limit}). Strings are quoted, byte sizes use units.
     */
    default List<String> rewrite(T value) {
        return List.of(format(value));
    }

    /** Whether the directive takes several arguments (or one that may hold several words, like {@code save}). */
    default boolean multiArg() {
        return false;
    }
}
