package dev.peregrine.server.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A command's descriptor, loaded from {@code commands/<name>.yaml} (subcommands: {@code
 * <container>-<sub>.yaml}): arity, flags, ACL categories, key specs, argument docs, {@code since}, group and a
 * summary. COMMAND INFO/DOCS/GETKEYS, arity checks and key routing all read it.
 *
 * <p>Immutable after loading; any thread.
 */
public final class CommandSpec {
    private final String name;
    private final String container;
    private final int arity;
    private final Set<String> flags;
    private final List<String> aclCategories;
    private final List<Map<String, Object>> keySpecs;
    private final List<Map<String, Object>> arguments;
    private final Map<String, Object> raw;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();

    CommandSpec(String container, Map<String, Object> raw) {
        this.raw = raw;
        this.name = ((String) raw.get("name")).toLowerCase(Locale.ROOT);
        this.container = container;
        this.arity = ((Number) raw.get("arity")).intValue();
        this.flags = Set.copyOf(strings(raw.get("flags")));
        this.aclCategories = strings(raw.get("acl_categories"));
        this.keySpecs = maps(raw.get("key_specs"));
        this.arguments = maps(raw.get("arguments"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o == null ? List.of() : List.copyOf((List<String>) o);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        return o == null ? List.of() : Collections.unmodifiableList((List<Map<String, Object>>) o);
    }

    /** The lower-case name, e.g. {@code get}, or for a subcommand {@code kill}. */
    public String name() {
        return name;
    }

    /** The container command's name for a subcommand, else null. */
    public String container() {
        return container;
    }

    /** {@code get}, or {@code client|kill} for a subcommand: the name errors and statistics use. */
    public String fullName() {
        return container == null ? name : container + "|" + name;
    }

    /** Redis arity: positive is exact argc, negative is a minimum of {@code -arity}. Counts the command name. */
    public int arity() {
        return arity;
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    public Set<String> flags() {
        return flags;
    }

    public List<String> aclCategories() {
        return aclCategories;
    }

    public List<Map<String, Object>> keySpecs() {
        return keySpecs;
    }

    public List<Map<String, Object>> arguments() {
        return arguments;
    }

    /** A field of the descriptor by its YAML name ({@code since}, {@code group}, {@code summary}, ...), or null. */
    public Object field(String key) {
        return raw.get(key);
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    void addSubcommand(CommandSpec sub) {
        subcommands.put(sub.name(), sub);
    }

    /** Whether argc satisfies the arity. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }
}
