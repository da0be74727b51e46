package dev.peregrine.server.command.server;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.Command;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandSpec;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.command.KeySpecs;
import dev.peregrine.server.command.KeySpecs.KeyPosition;
import dev.peregrine.server.command.KeySpecs.KeySpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * COMMAND and its subcommands (Redis's server.c command introspection), generated from the {@link CommandSpec}
 * descriptors: COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP. Reply shapes follow Redis 7.2 in
 * RESP2 and RESP3 (sets and maps downgrade to arrays in RESP2). Executor-only.
 */
public final class CommandCommands {
    /** Command flags in the order Redis replies them. */
    static final List<String> FLAG_ORDER = List.of("write", "readonly", "denyoom", "module", "admin", "pubsub",
            "noscript", "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
            "may_replicate", "no_mandatory_keys", "no_async_loading", "no_multi", "movablekeys", "allow_busy");
    /** ACL categories in the order Redis replies them. */
    static final List<String> ACL_ORDER = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
            "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");
    private static final List<String> DOC_FLAG_ORDER = List.of("deprecated", "syscmd");
    private static final List<String> ARG_FLAG_ORDER = List.of("optional", "multiple", "multiple_token");
    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    };

    private CommandCommands() {
    }

    public static void register(CommandTable t) {
        t.register("command", CommandCommands::command);
        t.register("command|count", c -> c.reply().integer(c.engine().commands().size()));
        t.register("command|info", CommandCommands::info);
        t.register("command|docs", CommandCommands::docs);
        t.register("command|list", CommandCommands::list);
        t.register("command|getkeys", c -> getKeys(c, false));
        t.register("command|getkeysandflags", c -> getKeys(c, true));
        t.register("command|help", CommandCommands::help);
    }

    /** COMMAND: the INFO reply of every top-level command. */
    static void command(CommandContext c) {
        Collection<Command> all = c.engine().commands().all();
        c.reply().arrayHeader(all.size());
        for (Command cmd : all) {
            writeInfo(c.reply(), cmd.spec());
        }
    }

    /** COMMAND INFO [name ...]: all commands, or one entry per name (null for unknown names). */
    static void info(CommandContext c) {
        if (c.argc() == 2) {
            command(c);
            return;
        }
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec spec = lookupByFullName(c, c.argString(i));
            if (spec == null) {
                r.nullBulk();
            } else {
                writeInfo(r, spec);
            }
        }
    }

    /** COMMAND DOCS [name ...]: a map of full name to docs; unknown names are left out. */
    static void docs(CommandContext c) {
        ReplyWriter r = c.reply();
        if (c.argc() == 2) {
            Collection<Command> all = c.engine().commands().all();
            r.mapHeader(all.size());
            for (Command cmd : all) {
                r.bulk(cmd.spec().fullName());
                writeDocs(r, cmd.spec());
            }
            return;
        }
        List<CommandSpec> found = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec spec = lookupByFullName(c, c.argString(i));
            if (spec != null) {
                found.add(spec);
            }
        }
        r.mapHeader(found.size());
        for (CommandSpec spec : found) {
            r.bulk(spec.fullName());
            writeDocs(r, spec);
        }
    }

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]: full names, subcommands included. */
    static void list(CommandContext c) {
        String filterType = null;
        String filterArg = null;
        for (int i = 2; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            if (c.argIs(i, "filterby") && more == 2) {
                String type = c.argLower(i + 1);
                if (!type.equals("module") && !type.equals("aclcat") && !type.equals("pattern")) {
                    throw new CommandError(Errors.SYNTAX);
                }
                filterType = type;
                filterArg = c.argString(i + 2);
                i += 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<String> names = new ArrayList<>();
        for (Command cmd : c.engine().commands().all()) {
            collect(cmd, filterType, filterArg, names);
        }
        ReplyWriter r = c.reply();
        r.arrayHeader(names.size());
        for (String n : names) {
            r.bulk(n);
        }
    }

    private static void collect(Command cmd, String type, String arg, List<String> out) {
        CommandSpec spec = cmd.spec();
        if (type == null || accepts(spec, type, arg)) {
            out.add(spec.fullName());
        }
        for (Command sub : cmd.subcommands().values()) {
            collect(sub, type, arg, out);
        }
    }

    private static boolean accepts(CommandSpec spec, String type, String arg) {
        switch (type) {
            case "module":
                return false; // no module commands exist
            case "aclcat":
                return aclCategories(spec).contains(arg.toLowerCase(Locale.ROOT));
            default:
                return dev.peregrine.storage.GlobMatcher.matches(arg.getBytes(StandardCharsets.ISO_8859_1),
                        spec.fullName().getBytes(StandardCharsets.ISO_8859_1), true);
        }
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...]. */
    static void getKeys(CommandContext c, boolean withFlags) {
        byte[][] argv = new byte[c.argc() - 2][];
        System.arraycopy(c.argv(), 2, argv, 0, argv.length);
        Command cmd = c.engine().commands().lookup(argv[0]);
        if (cmd != null && cmd.isContainer() && argv.length >= 2) {
            cmd = cmd.subcommand(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        }
        if (cmd == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        CommandSpec spec = cmd.spec();
        List<KeySpec> specs = KeySpecs.of(spec);
        if (specs.isEmpty()) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!spec.arityAccepts(argv.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        List<KeyPosition> keys = KeySpecs.find(spec.fullName(), specs, argv, spec.arity());
        ReplyWriter r = c.reply();
        if (keys == null || keys.isEmpty()) {
            if (spec.hasFlag("no_mandatory_keys")) {
                r.emptyArray();
                return;
            }
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        r.arrayHeader(keys.size());
        for (KeyPosition k : keys) {
            if (withFlags) {
                r.arrayHeader(2);
                r.bulk(argv[k.pos()]);
                r.setHeader(k.flags().size());
                for (String f : k.flags()) {
                    r.simpleString(f);
                }
            } else {
                r.bulk(argv[k.pos()]);
            }
        }
    }

    static void help(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(HELP.length);
        for (String line : HELP) {
            r.simpleString(line);
        }
    }

    // ---------------------------------------------------------------- look-up

    /** A command by its full name, {@code get} or {@code client|kill}, any case; null when unknown. */
    static CommandSpec lookupByFullName(CommandContext c, String fullName) {
        String name = fullName.toLowerCase(Locale.ROOT);
        int bar = name.indexOf('|');
        if (bar < 0) {
            Command cmd = c.engine().commands().lookup(name);
            return cmd == null ? null : cmd.spec();
        }
        Command parent = c.engine().commands().lookup(name.substring(0, bar));
        if (parent == null) {
            return null;
        }
        Command sub = parent.subcommand(name.substring(bar + 1));
        return sub == null ? null : sub.spec();
    }

    // ---------------------------------------------------------------- COMMAND INFO

    /**
     * One COMMAND INFO entry: name, arity, flags (set of status), first key, last key, step, ACL categories
     * (set of {@code @name} statuses), tips (set of bulks), key specs (set of maps), subcommands (array of
     * entries, an empty set when there are none).
     */
    static void writeInfo(ReplyWriter r, CommandSpec spec) {
        List<KeySpec> specs = KeySpecs.of(spec);
        int[] range = KeySpecs.legacyRange(specs);
        r.arrayHeader(10);
        r.bulk(spec.fullName());
        r.integer(spec.arity());
        List<String> flags = commandFlags(spec, specs);
        r.setHeader(flags.size());
        for (String f : flags) {
            r.simpleString(f);
        }
        r.integer(range[0]);
        r.integer(range[1]);
        r.integer(range[2]);
        List<String> cats = aclCategories(spec);
        r.setHeader(cats.size());
        for (String cat : cats) {
            r.simpleString("@" + cat);
        }
        List<String> tips = strings(spec.field("tips"));
        r.setHeader(tips.size());
        for (String t : tips) {
            r.bulk(t);
        }
        r.setHeader(specs.size());
        for (KeySpec ks : specs) {
            writeKeySpec(r, ks);
        }
        Map<String, CommandSpec> subs = spec.subcommands();
        if (subs.isEmpty()) {
            r.setHeader(0);
        } else {
            r.arrayHeader(subs.size());
            for (CommandSpec sub : subs.values()) {
                writeInfo(r, sub);
            }
        }
    }

    /** The reply flags of a command, in Redis's order; {@code movablekeys} added when a key spec is not a range. */
    static List<String> commandFlags(CommandSpec spec, List<KeySpec> specs) {
        Set<String> have = new LinkedHashSet<>(spec.flags());
        if (KeySpecs.movable(specs)) {
            have.add("movablekeys");
        }
        List<String> out = new ArrayList<>();
        for (String f : FLAG_ORDER) {
            if (have.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The ACL categories of a command, in Redis's order: the declared ones plus those its flags imply (write,
     * read for readonly, admin and dangerous for admin, pubsub, fast, blocking, and slow when not fast).
     */
    static List<String> aclCategories(CommandSpec spec) {
        Set<String> have = new LinkedHashSet<>();
        for (String s : spec.aclCategories()) {
            have.add(s.toLowerCase(Locale.ROOT));
        }
        if (spec.hasFlag("write")) {
            have.add("write");
        }
        if (spec.hasFlag("readonly") && !have.contains("scripting")) {
            have.add("read");
        }
        if (spec.hasFlag("admin")) {
            have.add("admin");
            have.add("dangerous");
        }
        if (spec.hasFlag("pubsub")) {
            have.add("pubsub");
        }
        if (spec.hasFlag("fast")) {
            have.add("fast");
        }
        if (spec.hasFlag("blocking")) {
            have.add("blocking");
        }
        if (!have.contains("fast")) {
            have.add("slow");
        }
        List<String> out = new ArrayList<>();
        for (String cat : ACL_ORDER) {
            if (have.contains(cat)) {
                out.add(cat);
            }
        }
        return out;
    }

    private static void writeKeySpec(ReplyWriter r, KeySpec ks) {
        r.mapHeader(ks.notes() != null ? 4 : 3);
        if (ks.notes() != null) {
            r.bulk("notes");
            r.bulk(ks.notes());
        }
        r.bulk("flags");
        r.setHeader(ks.flags().size());
        for (String f : ks.flags()) {
            r.simpleString(f);
        }
        r.bulk("begin_search");
        r.mapHeader(2);
        r.bulk("type");
        switch (ks.beginSearch()) {
            case INDEX -> {
                r.bulk("index");
                r.bulk("spec");
                r.mapHeader(1);
                r.bulk("index");
                r.integer(ks.index());
            }
            case KEYWORD -> {
                r.bulk("keyword");
                r.bulk("spec");
                r.mapHeader(2);
                r.bulk("keyword");
                r.bulk(ks.keyword());
                r.bulk("startfrom");
                r.integer(ks.startfrom());
            }
            default -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.mapHeader(0);
            }
        }
        r.bulk("find_keys");
        r.mapHeader(2);
        r.bulk("type");
        switch (ks.findKeys()) {
            case RANGE -> {
                r.bulk("range");
                r.bulk("spec");
                r.mapHeader(3);
                r.bulk("lastkey");
                r.integer(ks.lastkey());
                r.bulk("keystep");
                r.integer(ks.keystep());
                r.bulk("limit");
                r.integer(ks.limit());
            }
            case KEYNUM -> {
                r.bulk("keynum");
                r.bulk("spec");
                r.mapHeader(3);
                r.bulk("keynumidx");
                r.integer(ks.keynumidx());
                r.bulk("firstkey");
                r.integer(ks.firstkey());
                r.bulk("keystep");
                r.integer(ks.keystep());
            }
            default -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.mapHeader(0);
            }
        }
    }

    // ---------------------------------------------------------------- COMMAND DOCS

    /**
     * One COMMAND DOCS entry, a map: summary, since, group, complexity, doc_flags (set of status),
     * deprecated_since, replaced_by, history (set of [version, change]), arguments (set of maps), subcommands (map
     * of full name to docs). Optional fields appear only when the descriptor has them.
     */
    static void writeDocs(ReplyWriter r, CommandSpec spec) {
        String summary = str(spec.field("summary"));
        String since = str(spec.field("since"));
        String complexity = str(spec.field("complexity"));
        List<String> docFlags = ordered(strings(spec.field("doc_flags")), DOC_FLAG_ORDER);
        String deprecatedSince = str(spec.field("deprecated_since"));
        String replacedBy = str(spec.field("replaced_by"));
        List<?> history = spec.field("history") instanceof List<?> l ? l : null;
        List<Map<String, Object>> args = spec.arguments();
        Map<String, CommandSpec> subs = spec.subcommands();
        int n = 1 + count(summary) + count(since) + count(complexity) + (docFlags.isEmpty() ? 0 : 1)
                + count(deprecatedSince) + count(replacedBy) + (history == null || history.isEmpty() ? 0 : 1)
                + (args.isEmpty() ? 0 : 1) + (subs.isEmpty() ? 0 : 1);
        r.mapHeader(n);
        pair(r, "summary", summary);
        pair(r, "since", since);
        r.bulk("group");
        r.bulk(spec.field("group") == null ? "server" : str(spec.field("group")));
        pair(r, "complexity", complexity);
        if (!docFlags.isEmpty()) {
            r.bulk("doc_flags");
            r.setHeader(docFlags.size());
            for (String f : docFlags) {
                r.simpleString(f);
            }
        }
        pair(r, "deprecated_since", deprecatedSince);
        pair(r, "replaced_by", replacedBy);
        if (history != null && !history.isEmpty()) {
            r.bulk("history");
            r.setHeader(history.size());
            for (Object h : history) {
                List<?> entry = (List<?>) h;
                r.arrayHeader(2);
                r.bulk(String.valueOf(entry.get(0)));
                r.bulk(String.valueOf(entry.get(1)));
            }
        }
        if (!args.isEmpty()) {
            r.bulk("arguments");
            writeArgs(r, args);
        }
        if (!subs.isEmpty()) {
            r.bulk("subcommands");
            r.mapHeader(subs.size());
            for (CommandSpec sub : subs.values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeArgs(ReplyWriter r, List<Map<String, Object>> args) {
        r.setHeader(args.size());
        for (Map<String, Object> a : args) {
            String type = str(a.get("type"));
            String token = str(a.get("token"));
            String summary = str(a.get("summary"));
            String since = str(a.get("since"));
            String deprecatedSince = str(a.get("deprecated_since"));
            String displayText = str(a.get("display_text"));
            List<String> flags = new ArrayList<>();
            for (String f : ARG_FLAG_ORDER) {
                if (Boolean.TRUE.equals(a.get(f))) {
                    flags.add(f);
                }
            }
            List<Map<String, Object>> sub = a.get("arguments") instanceof List<?> l
                    ? (List<Map<String, Object>>) l : null;
            boolean nested = "oneof".equals(type) || "block".equals(type);
            boolean key = "key".equals(type);
            int n = 2 + (key ? 1 : 0) + count(token) + count(summary) + count(since) + count(deprecatedSince)
                    + (flags.isEmpty() ? 0 : 1) + (nested ? 1 : 0) + count(displayText);
            r.mapHeader(n);
            r.bulk("name");
            r.bulk(str(a.get("name")));
            r.bulk("type");
            r.bulk(type);
            pair(r, "display_text", displayText);
            if (key) {
                r.bulk("key_spec_index");
                Object idx = a.get("key_spec_index");
                r.integer(idx instanceof Number num ? num.longValue() : 0);
            }
            pair(r, "token", token);
            pair(r, "summary", summary);
            pair(r, "since", since);
            pair(r, "deprecated_since", deprecatedSince);
            if (!flags.isEmpty()) {
                r.bulk("flags");
                r.setHeader(flags.size());
                for (String f : flags) {
                    r.simpleString(f);
                }
            }
            if (nested) {
                r.bulk("arguments");
                writeArgs(r, sub == null ? List.of() : sub);
            }
        }
    }

    private static void pair(ReplyWriter r, String name, String value) {
        if (value != null) {
            r.bulk(name);
            r.bulk(value);
        }
    }

    private static int count(String s) {
        return s == null ? 0 : 1;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static List<String> strings(Object o) {
        if (!(o instanceof List<?> l)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object x : l) {
            out.add(String.valueOf(x));
        }
        return out;
    }

    private static List<String> ordered(List<String> have, List<String> order) {
        List<String> out = new ArrayList<>();
        for (String f : order) {
            if (have.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
