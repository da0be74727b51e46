package dev.peregrine.server.config;

import java.util.List;

/**
 * One configuration directive, declared once: its name and aliases (Redis's legacy names such as {@code
 * slaveof} for {@code replicaof}), type, default, whether CONFIG SET may change it and whether it is protected.
 * The config file parser, the command line, CONFIG GET/SET/REWRITE and INFO all read this declaration.
 *
 * @param <T> the value type
 */
public final class Directive<T> {
    /** May CONFIG SET change it at run time (otherwise Redis's IMMUTABLE_CONFIG). */
    public static final int MUTABLE = 1;
    /** Protected: CONFIG SET refuses it unless {@code enable-protected-configs} allows. */
    public static final int PROTECTED = 2;
    /** Hidden from CONFIG GET with a pattern (debug settings), as Redis's HIDDEN_CONFIG. */
    public static final int HIDDEN = 4;
    /** Accepted and reported, but the feature it drives is not built yet. */
    public static final int INERT = 8;
    /** Its value is sensitive (a password): CONFIG REWRITE writes it, logs never show it. */
    public static final int SENSITIVE = 16;
    /** CONFIG REWRITE always writes it, even at its default (Redis does so for {@code save} and {@code dir}). */
    public static final int ALWAYS_REWRITE = 32;

    private final String name;
    private final List<String> aliases;
    private final ConfigType<T> type;
    private final String defaultText;
    private final int flags;

    public Directive(String name, List<String> aliases, ConfigType<T> type, String defaultText, int flags) {
        this.name = name;
        this.aliases = aliases;
        this.type = type;
        this.defaultText = defaultText;
        this.flags = flags;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public ConfigType<T> type() {
        return type;
    }

    /** The default as it would be written in a config file. */
    public String defaultText() {
        return defaultText;
    }

    public boolean mutable() {
        return (flags & MUTABLE) != 0;
    }

    public boolean isProtected() {
        return (flags & PROTECTED) != 0;
    }

    public boolean hidden() {
        return (flags & HIDDEN) != 0;
    }

    public boolean inert() {
        return (flags & INERT) != 0;
    }

    public boolean sensitive() {
        return (flags & SENSITIVE) != 0;
    }

    public boolean alwaysRewrite() {
        return (flags & ALWAYS_REWRITE) != 0;
    }
}
