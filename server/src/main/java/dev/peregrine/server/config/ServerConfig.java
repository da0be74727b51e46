package dev.peregrine.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's configuration: the {@link Directive}s declared in {@link Directives} and their current values.
 *
 * <p>Values are set at start-up (config file, command line) and by CONFIG SET; readers that need a setting on a
 * hot path register a listener and keep their own copy. Executor-only after start-up, except the immutable
 * settings, which any thread may read once the server runs.
 */
public final class ServerConfig {
    private final Map<String, Directive<?>> byName = new HashMap<>();
    private final Map<String, Directive<?>> declared = new LinkedHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, List<Consumer<Object>>> listeners = new HashMap<>();
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
        for (String alias : d.aliases()) {
            byName.put(alias, d);
        }
        try {
            values.put(d.name(), parse(d, defaultArgs(d)));
        } catch (ConfigException e) {
            throw new IllegalStateException("bad default for " + d.name() + ": " + e.getMessage(), e);
        }
    }

    private static String[] defaultArgs(Directive<?> d) {
        if (d.type().multiArg()) {
            List<String> parts = dev.peregrine.protocol.SplitArgs.split(d.defaultText());
            return parts.toArray(new String[0]);
        }
        return new String[] {d.defaultText()};
    }

    private static Object parse(Directive<?> d, String[] args) throws ConfigException {
        return d.type().parse(args);
    }

    /** The directive with this name or alias (case-insensitive), or null. */
    public Directive<?> directive(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every directive, in declaration order. */
    public Collection<Directive<?>> directives() {
        return declared.values();
    }

    /**
     * Sets a directive from its arguments.
     *
     * @throws ConfigException with Redis's reason text when the arguments do not parse or are out of range
     */
    public void set(Directive<?> d, String[] args) throws ConfigException {
        if (!d.type().multiArg() && args.length != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        Object v = parse(d, args);
        values.put(d.name(), v);
        List<Consumer<Object>> ls = listeners.get(d.name());
        if (ls != null) {
            for (Consumer<Object> l : ls) {
                l.accept(v);
            }
        }
    }

    /** Sets a directive by name from one argument; for tests and embedded use. */
    public ServerConfig set(String name, String value) {
        Directive<?> d = directive(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown directive " + name);
        }
        try {
            set(d, d.type().multiArg() ? dev.peregrine.protocol.SplitArgs.split(value).toArray(new String[0])
                                       : new String[] {value});
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

    /** Calls {@code listener} with the new value whenever the directive is set (not with the current value). */
    public void onChange(String name, Consumer<Object> listener) {
        listeners.computeIfAbsent(directive(name).name(), k -> new ArrayList<>()).add(listener);
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String path) {
        this.configFile = path;
    }
}
