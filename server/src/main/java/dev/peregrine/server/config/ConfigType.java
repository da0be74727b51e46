package dev.peregrine.server.config;

/**
 * How a directive's arguments parse and print, following Redis 7.2's config.c kinds: booleans ({@code yes}/{@code
 * no}), numbers (with memory units for byte sizes, {@code 1gb}, {@code 512mb}), enums, strings and the few special
 * directives with their own syntax.
 *
 * @param <T> the parsed value's type
 */
public interface ConfigType<T> {
    /**
     * @param args the directive's arguments (one for most, several for {@code save}, {@code
     *             client-output-buffer-limit} and the like)
     * @throws ConfigException with Redis's reason text
     */
    T parse(String[] args) throws ConfigException;

    /** The value as CONFIG GET shows it and CONFIG REWRITE writes it. */
    String format(T value);

    /** Whether the directive takes several arguments (or one that may hold several words, like {@code save}). */
    default boolean multiArg() {
        return false;
    }
}
