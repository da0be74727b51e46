package dev.peregrine.server.config;

import dev.peregrine.protocol.SplitArgs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The server's configuration: the {@link Directive}s declared in {@link Directives} and their current values,
 * plus what only a config file can say ({@code rename-command}, {@code user}, {@code loadmodule} lines).
 *
 * <p>Values are set at start-up (config file, command line) and by CONFIG SET; readers that need a setting on a
 * hot path register a listener and keep their own copy. Executor-only after start-up, except the immutable
 * settings, which any thread may read once the server runs.
 */
public final class ServerConfig {
    private final Map<String, Directive<?>> byName = new HashMap<>();
    private final Map<String, Directive<?>> declared = new LinkedHashMap<>();
    /** Every accepted name (directive names and aliases), each followed by its aliases, for CONFIG GET. */
    private final Map<String, Directive<?>> allNames = new LinkedHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Object> defaults = new HashMap<>();
    private final Map<String, List<Consumer<Object>>> listeners = new HashMap<>();
    private final List<String[]> renamedCommands = new ArrayList<>();
    private final List<String> userLines = new ArrayList<>();
    private final List<String> moduleLines = new ArrayList<>();
    /** The config file the server started from, absolute, or null. */
    private String configFile;

    public ServerConfig() {
        for (Directive<?> d : Directives.all()) {
            declare(d);
        }
    }

    private void declare(Directive<?> d) {
        declared.put(d.name(), d);
        byName.put(d.name(), d);
        allNames.put(d.name(), d);
        for (String alias : d.aliases()) {
            byName.put(alias, d);
            allNames.put(alias, d);
        }
        try {
            Object v = parse(d, defaultArgs(d), null);
            values.put(d.name(), v);
            defaults.put(d.name(), v);
        } catch (ConfigException e) {
            throw new IllegalStateException("bad default for " + d.name() + ": " + e.getMessage(), e);
        }
    }

    private static String[] defaultArgs(Directive<?> d) {
        if (d.type().multiArg()) {
            List<String> parts = SplitArgs.split(d.defaultText());
            return parts.toArray(new String[0]);
        }
        return new String[] {d.defaultText()};
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Directive<?> d, String[] args, Object current) throws ConfigException {
        ConfigType t = d.type();
        return current == null ? t.parse(args) : t.parse(args, current);
    }

    /** The directive with this name or alias (case-insensitive), or null. */
    public Directive<?> directive(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every directive, in declaration order. */
    public Collection<Directive<?>> directives() {
        return declared.values();
    }

    /** Every accepted name, directives followed by their aliases, with the directive each names. */
    public Map<String, Directive<?>> names() {
        return allNames;
    }

    /**
     * Sets a directive from its arguments as a config file line gives them: a multi-argument directive given
     * one non-empty argument has it split with Redis's quoting rules ({@code --save "60 1 300 10"}).
     *
     * @throws ConfigException with Redis's reason text when the arguments do not parse or are out of range
     */
    public void set(Directive<?> d, String[] args) throws ConfigException {
        if (!d.type().multiArg() && args.length != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        if (d.type().multiArg() && args.length == 1 && !args[0].isEmpty()) {
            List<String> split = SplitArgs.split(args[0]);
            if (split == null) {
                throw new ConfigException("Unbalanced quotes in configuration line");
            }
            args = split.toArray(new String[0]);
        }
        apply(d, parse(d, args, values.get(d.name())));
    }

    /**
     * Sets a directive from a CONFIG SET value: a multi-argument directive's value is split at single spaces,
     * as Redis does.
     */
    public void setFromCommand(Directive<?> d, String value) throws ConfigException {
        String[] args;
        if (d.type().multiArg()) {
            args = value.isEmpty() ? new String[0] : value.split(" ", -1);
            if (args.length == 0 && d.name().equals("save")) {
                args = new String[] {""};
            }
        } else {
            args = new String[] {value};
        }
        apply(d, parse(d, args, values.get(d.name())));
    }

    private void apply(Directive<?> d, Object v) {
        Object old = values.put(d.name(), v);
        if (Objects.deepEquals(old, v)) {
            return;
        }
        List<Consumer<Object>> ls = listeners.get(d.name());
        if (ls != null) {
            for (Consumer<Object> l : ls) {
                l.accept(v);
            }
        }
    }

    /** The raw current value, for saving before a group of changes ({@link #restore}). */
    public Object rawValue(Directive<?> d) {
        return values.get(d.name());
    }

    /** Puts back a value from {@link #rawValue}, telling the listeners. */
    public void restore(Directive<?> d, Object raw) {
        apply(d, raw);
    }

    /**
     * Puts a value back without telling the listeners: for a listener whose change could not be carried out
     * (e.g. the AOF could not be opened) to leave the directive as it really is.
     */
    public void setQuietly(String name, String value) {
        Directive<?> d = directive(name);
        try {
            values.put(d.name(), parse(d, new String[] {value}, values.get(d.name())));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** Sets a directive by name from one argument; for tests and embedded use. */
    public ServerConfig set(String name, String value) {
        Directive<?> d = directive(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown directive " + name);
        }
        try {
            set(d, new String[] {value});
        } catch (ConfigException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The parsed value of a directive. */
    public Object value(String name) {
        Directive<?> d = directive(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown directive " + name);
        }
        return values.get(d.name());
    }

    /** The value as CONFIG GET shows it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String formatted(Directive<?> d) {
        return ((ConfigType) d.type()).format(values.get(d.name()));
    }

    /** The lines CONFIG REWRITE writes for the directive: the text after its name, one entry per line. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<String> rewriteLines(Directive<?> d) {
        return ((ConfigType) d.type()).rewrite(values.get(d.name()));
    }

    /** Whether the directive holds its default value. */
    public boolean isDefault(Directive<?> d) {
        return Objects.deepEquals(values.get(d.name()), defaults.get(d.name()));
    }

    public long longValue(String name) {
        return (Long) value(name);
    }

    public int intValue(String name) {
        return (int) (long) (Long) value(name);
    }

    public boolean boolValue(String name) {
        return (Boolean) value(name);
    }

    public String stringValue(String name) {
        return (String) value(name);
    }

    /** Calls {@code listener} with the new value whenever the directive changes (not with the current value). */
    public void onChange(String name, Consumer<Object> listener) {
        listeners.computeIfAbsent(directive(name).name(), k -> new ArrayList<>()).add(listener);
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String path) {
        this.configFile = path;
    }

    /** {@code rename-command} lines in order: {@code {old, new}}, new "" meaning the command is disabled. */
    public List<String[]> renamedCommands() {
        return renamedCommands;
    }

    /** {@code user} lines (ACL rules), as written; kept until ACL support applies them. */
    public List<String> userLines() {
        return userLines;
    }

    /** {@code loadmodule} lines, as written; Peregrine loads no modules. */
    public List<String> moduleLines() {
        return moduleLines;
    }
}
