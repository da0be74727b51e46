package dev.peregrine.server.command;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command table: every command's {@link CommandSpec}, read from the YAML descriptors under {@code
 * commands/} on the class path, bound to its handler.
 *
 * <p>A family of commands registers its handlers by name ({@code "get"}, {@code "client|kill"}); registering a
 * name whose descriptor is missing fails start-up, so the table and the descriptors cannot disagree. Built once
 * at start-up, then read by the executor only.
 */
public final class CommandTable {
    private static final String RESOURCE_DIR = "commands/";
    private final Map<String, Command> commands = new TreeMap<>();
    /** Open-addressing index over lower-case ASCII names for {@link #lookup(byte[])}; rebuilt on register. */
    private Command[] index = new Command[0];
    private byte[][] indexNames = new byte[0][];

    /**
     * Registers a handler.
     *
     * @param fullName lower-case {@code name} or {@code container|sub}
     * @throws IllegalStateException if the descriptor is missing, malformed or already registered
     */
    public void register(String fullName, CommandHandler handler) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            if (commands.containsKey(fullName)) {
                throw new IllegalStateException("command registered twice: " + fullName);
            }
            commands.put(fullName, new Command(new CommandSpec(null, load(fullName)), handler));
            rebuildIndex();
            return;
        }
        String container = fullName.substring(0, bar);
        String sub = fullName.substring(bar + 1);
        Command parent = commands.computeIfAbsent(container,
                c -> new Command(new CommandSpec(null, load(c)), null));
        if (parent.subcommand(sub) != null) {
            throw new IllegalStateException("command registered twice: " + fullName);
        }
        parent.addSubcommand(new Command(new CommandSpec(container, load(container + "-" + sub)), handler));
        rebuildIndex();
    }

    private void rebuildIndex() {
        int cap = Integer.highestOneBit(Math.max(4, commands.size() * 4) - 1) << 1;
        Command[] idx = new Command[cap];
        byte[][] names = new byte[cap][];
        for (Map.Entry<String, Command> e : commands.entrySet()) {
            Command c = e.getValue();
            byte[] name = e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int i = lowerHash(name) & (cap - 1);
            while (idx[i] != null) {
                i = (i + 1) & (cap - 1);
            }
            idx[i] = c;
            names[i] = name;
        }
        index = idx;
        indexNames = names;
    }

    private static int lowerHash(byte[] b) {
        int h = 0;
        for (byte x : b) {
            int c = x & 0xff;
            h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return h ^ (h >>> 16);
    }

    private static Map<String, Object> load(String file) {
        String path = RESOURCE_DIR + file + ".yaml";
        try (InputStream in = CommandTable.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing command descriptor " + path);
            }
            Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (map == null || !(map.get("name") instanceof String) || !(map.get("arity") instanceof Number)) {
                throw new IllegalStateException("command descriptor " + path + " lacks name or arity");
            }
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    /**
     * Renames a top-level command, as a config file's {@code rename-command}: the command answers to {@code to}
     * only ({@code ""} removes it). Its spec and statistics keep the original name, as in Redis.
     *
     * @return null when done, else Redis's reason text
     */
    public String rename(String from, String to) {
        Command c = commands.get(from.toLowerCase(Locale.ROOT));
        if (c == null) {
            return "No such command in rename-command";
        }
        String target = to.toLowerCase(Locale.ROOT);
        if (!target.isEmpty() && commands.containsKey(target)) {
            return "Target command name already exists";
        }
        commands.remove(from.toLowerCase(Locale.ROOT));
        if (!target.isEmpty()) {
            commands.put(target, c);
        }
        rebuildIndex();
        return null;
    }

    /** The top-level command with this name, any case, or null. */
    public Command lookup(String name) {
        return commands.get(name.toLowerCase(Locale.ROOT));
    }

    /** The top-level command whose name is {@code name} in any ASCII case, or null. Allocates nothing. */
    public Command lookup(byte[] name) {
        Command[] idx = index;
        byte[][] names = indexNames;
        int mask = idx.length - 1;
        int i = lowerHash(name) & mask;
        while (true) {
            Command c = idx[i];
            if (c == null) {
                return null;
            }
            if (equalsLower(names[i], name)) {
                return c;
            }
            i = (i + 1) & mask;
        }
    }

    /** Whether {@code candidate} equals the lower-case {@code lower} ignoring ASCII case. */
    private static boolean equalsLower(byte[] lower, byte[] candidate) {
        if (lower.length != candidate.length) {
            return false;
        }
        for (int k = 0; k < lower.length; k++) {
            int c = candidate[k] & 0xff;
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[k]) {
                return false;
            }
        }
        return true;
    }

    /** Every top-level command, by name. */
    public Collection<Command> all() {
        return commands.values();
    }

    public int size() {
        return commands.size();
    }
}
