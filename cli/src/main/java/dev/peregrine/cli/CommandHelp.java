package dev.peregrine.cli;

import dev.peregrine.protocol.SplitArgs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What the interactive prompt knows about the server's commands, built once from its {@code COMMAND DOCS} reply (or,
 * from a server without it, from {@code COMMAND}): one entry per command and subcommand ({@code "CLIENT KILL"}) with
 * its argument synopsis, summary, since and group, plus one {@code "@group"} entry per group. It answers the three
 * questions redis-cli 7 answers from the same reply: the greyed hint after what was typed, the tab completions of a
 * line, and the {@code help} text.
 *
 * <p>The synopsis is built from the arguments tree as redis-cli builds it: an argument is its token (if any) then its
 * name ({@code key}, {@code string}, {@code integer}, ... types), its children joined by {@code |} (oneof) or a space
 * (block), or nothing (pure token); optional ones are wrapped in {@code [ ]}, multiple ones followed by
 * {@code  [again ...]}; an empty token or name shows as {@code ""}.
 *
 * <p>Immutable once built; any thread.
 */
final class CommandHelp {
    /** One command, subcommand or group; entries are kept sorted by {@link #full} (byte order, as strcmp). */
    static final class Entry {
        /** The upper-case words of the name: {@code ["CLIENT", "KILL"]}; for a group {@code ["@string"]}. */
        final String[] argv;
        /** The words joined by a space. */
        final String full;
        final boolean isGroup;
        /** The argument synopsis (empty when the command takes none); {@code null} for a group. */
        final String params;
        final String summary;
        /** {@code null} when the docs do not say. */
        final String since;
        final String group;

        Entry(String[] argv, boolean isGroup, String params, String summary, String since, String group) {
            this.argv = argv;
            this.full = String.join(" ", argv);
            this.isGroup = isGroup;
            this.params = params;
            this.summary = summary;
            this.since = since;
            this.group = group;
        }
    }

    /** No entries: no hints, no completions, help prints only its blank line. */
    static final CommandHelp EMPTY = new CommandHelp(List.of());

    private final List<Entry> entries;

    private CommandHelp(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.full.compareTo(b.full));
        this.entries = Collections.unmodifiableList(sorted);
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * Asks the server: {@code COMMAND DOCS}, or {@code COMMAND} when that is an error (servers before 7.0).
     *
     * @return the help, {@link #EMPTY} when both fail
     * @throws IOException when the connection fails
     */
    static CommandHelp fetch(Connection conn) throws IOException {
        Reply docs = callSkippingPushes(conn, "COMMAND", "DOCS");
        if (docs.type == Reply.ARRAY || docs.type == Reply.MAP) {
            return fromDocs(docs);
        }
        Reply table = callSkippingPushes(conn, "COMMAND");
        if (table.type == Reply.ARRAY) {
            return fromCommandTable(table);
        }
        return EMPTY;
    }

    private static Reply callSkippingPushes(Connection conn, String... argv) throws IOException {
        Reply r = conn.callStrings(argv);
        while (r.type == Reply.PUSH) {
            r = conn.read();
        }
        return r;
    }

    /** From a {@code COMMAND DOCS} reply (RESP2 flat array or RESP3 map of name to doc map). */
    static CommandHelp fromDocs(Reply docs) {
        List<Entry> out = new ArrayList<>();
        TreeSet<String> groups = new TreeSet<>();
        Reply[] e = docs.elements;
        for (int i = 0; i + 1 < e.length; i += 2) {
            addCommand(e[i].text(), null, e[i + 1], out, groups);
        }
        for (String g : groups) {
            out.add(new Entry(new String[] {"@" + g}, true, null, null, null, null));
        }
        return new CommandHelp(out);
    }

    private static void addCommand(String name, String subcommand, Reply doc, List<Entry> out, TreeSet<String> groups) {
        String[] argv;
        String upper = upper(name);
        if (subcommand == null) {
            argv = new String[] {upper};
        } else {
            int bar = subcommand.indexOf('|');
            argv = new String[] {upper, upper(bar >= 0 ? subcommand.substring(bar + 1) : subcommand)};
        }
        String summary = null;
        String since = null;
        String group = null;
        StringBuilder params = new StringBuilder();
        List<Reply[]> subcommands = new ArrayList<>();
        Reply[] f = doc.elements;
        for (int j = 0; j + 1 < f.length; j += 2) {
            String key = f[j].text();
            Reply v = f[j + 1];
            switch (key) {
                case "summary":
                    summary = v.text();
                    break;
                case "since":
                    since = v.text();
                    break;
                case "group":
                    group = v.text();
                    if (group != null) {
                        groups.add(group);
                    }
                    break;
                case "arguments":
                    joinArguments(params, v, " ");
                    break;
                case "subcommands":
                    subcommands.add(v.elements);
                    break;
                default:
                    break;
            }
        }
        out.add(new Entry(argv, false, params.toString(), summary, since, group));
        for (Reply[] subs : subcommands) {
            for (int k = 0; k + 1 < subs.length; k += 2) {
                addCommand(name, subs[k].text(), subs[k + 1], out, groups);
            }
        }
    }

    private static void joinArguments(StringBuilder sb, Reply arguments, String separator) {
        Reply[] args = arguments.elements;
        for (int i = 0; i < args.length; i++) {
            appendArgument(sb, args[i]);
            if (i != args.length - 1) {
                sb.append(separator);
            }
        }
    }

    /** Appends one argument's synopsis (see the class comment). */
    private static void appendArgument(StringBuilder sb, Reply arg) {
        if (!arg.isAggregate()) {
            return;
        }
        String name = null;
        String type = "";
        String token = null;
        Reply children = null;
        boolean optional = false;
        boolean multiple = false;
        boolean multipleToken = false;
        Reply[] f = arg.elements;
        for (int i = 0; i + 1 < f.length; i += 2) {
            String key = f[i].text();
            Reply v = f[i + 1];
            switch (key) {
                case "name":
                    name = v.text();
                    break;
                case "type":
                    type = v.text();
                    break;
                case "token":
                    token = orEmpty(v.text());
                    break;
                case "arguments":
                    children = v;
                    break;
                case "flags":
                    for (Reply flag : v.elements) {
                        String fl = flag.text();
                        optional |= "optional".equals(fl);
                        multiple |= "multiple".equals(fl);
                        multipleToken |= "multiple_token".equals(fl);
                    }
                    break;
                default:
                    break;
            }
        }
        StringBuilder repeat = new StringBuilder();
        switch (type) {
            case "key": case "string": case "integer": case "double": case "pattern": case "unix-time": case "token":
                repeat.append(orEmpty(name));
                break;
            case "oneof":
                if (children != null) {
                    joinArguments(repeat, children, "|");
                }
                break;
            case "block":
                if (children != null) {
                    joinArguments(repeat, children, " ");
                }
                break;
            default:
                break; // pure-token: the token alone
        }
        String tokenPart = token == null ? "" : token;
        if (!tokenPart.isEmpty() && !type.equals("pure-token")) {
            tokenPart += " ";
        }
        if (optional) {
            sb.append('[');
        }
        sb.append(tokenPart).append(repeat);
        if (multiple) {
            sb.append(" [");
            if (multipleToken) {
                sb.append(tokenPart);
            }
            sb.append(repeat).append(" ...]");
        }
        if (optional) {
            sb.append(']');
        }
    }

    private static String orEmpty(String s) {
        return s == null || s.isEmpty() ? "\"\"" : s;
    }

    /**
     * From a {@code COMMAND} reply (servers without COMMAND DOCS): each command gets redis-cli's generic synopsis
     * from its arity and first key ({@code key arg arg ...options...}), "Help not available", since "Not known",
     * group "generic".
     */
    static CommandHelp fromCommandTable(Reply table) {
        List<Entry> out = new ArrayList<>();
        for (Reply c : table.elements) {
            if (c.type != Reply.ARRAY || c.elements.length < 4 || c.elements[0].str == null
                    || c.elements[1].type != Reply.INTEGER || c.elements[3].type != Reply.INTEGER) {
                break;
            }
            long arity = c.elements[1].integer;
            long args = Math.abs(arity) - 1;
            StringBuilder params = new StringBuilder();
            if (c.elements[3].integer == 1) {
                params.append("key ");
                args--;
            }
            while (args-- > 0) {
                params.append("arg ");
            }
            if (arity < 0) {
                params.append("...options...");
            }
            out.add(new Entry(new String[] {upper(c.elements[0].text())}, false, params.toString(),
                    "Help not available", "Not known", "generic"));
        }
        return new CommandHelp(out);
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    private static List<String> split(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        byte[][] parts = SplitArgs.split(b, 0, b.length);
        if (parts == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(parts.length);
        for (byte[] p : parts) {
            out.add(new String(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    /**
     * The hint shown after {@code line}: the synopsis of the command (or subcommand) with the most words matching
     * the start of the line, less one leading argument per argument already typed (stopping at the first optional
     * one), with a leading space unless the line ends in white space.
     *
     * @return the hint text without colours, or {@code null} when no command matches
     */
    String hint(String line) {
        List<String> argv = split(line);
        if (argv.isEmpty()) {
            return null;
        }
        Entry best = null;
        int matched = 0;
        for (Entry e : entries) {
            if (e.isGroup || e.argv.length > argv.size() || e.argv.length <= matched) {
                continue;
            }
            int j = 0;
            while (j < e.argv.length && e.argv[j].equalsIgnoreCase(argv.get(j))) {
                j++;
            }
            if (j == e.argv.length) {
                best = e;
                matched = j;
            }
        }
        if (best == null) {
            return null;
        }
        String hint = best.params;
        int toRemove = argv.size() - matched;
        int at = 0;
        while (toRemove > 0 && at < hint.length()) {
            char c = hint.charAt(at);
            if (c == '[') {
                break;
            }
            if (c == ' ') {
                toRemove--;
            }
            at++;
        }
        hint = hint.substring(at);
        boolean endSpace = !line.isEmpty() && isSpace(line.charAt(line.length() - 1));
        return endSpace ? hint : " " + hint;
    }

    /**
     * The lines TAB cycles through for {@code line}, in order: each command or subcommand name that starts with the
     * line (case-insensitively), or after {@code help } each command and {@code @group} name that starts with the
     * rest.
     */
    List<String> completions(String line) {
        int start = 0;
        boolean help = line.length() >= 5 && line.regionMatches(true, 0, "help ", 0, 5);
        if (help) {
            start = 5;
            while (start < line.length() && isSpace(line.charAt(start))) {
                start++;
            }
        }
        String typed = line.substring(start);
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.isGroup && !help) {
                continue;
            }
            if (e.full.regionMatches(true, 0, typed, 0, typed.length()) && typed.length() <= e.full.length()) {
                out.add(line.substring(0, start) + e.full);
            }
        }
        return out;
    }

    /**
     * The text {@code help args...} prints (without the plain {@code help} text): for {@code @group} each command of
     * the group, otherwise each command or subcommand whose first words are {@code args}, with its group; then a
     * blank line. The layout and colours are redis-cli's.
     */
    String help(List<String> args) {
        StringBuilder sb = new StringBuilder();
        String group = args.get(0).startsWith("@") ? args.get(0).substring(1) : null;
        for (Entry e : entries) {
            if (e.isGroup) {
                continue;
            }
            if (group == null) {
                if (args.size() > e.argv.length) {
                    continue;
                }
                int j = 0;
                while (j < args.size() && args.get(j).equalsIgnoreCase(e.argv[j])) {
                    j++;
                }
                if (j == args.size()) {
                    appendHelp(sb, e, true);
                }
            } else if (e.group != null && group.equalsIgnoreCase(e.group)) {
                appendHelp(sb, e, false);
            }
        }
        sb.append("\r\n");
        return sb.toString();
    }

    private static void appendHelp(StringBuilder sb, Entry e, boolean withGroup) {
        sb.append("\r\n  \u001b[1m").append(e.full).append("\u001b[0m \u001b[90m").append(e.params)
                .append("\u001b[0m\r\n");
        sb.append("  \u001b[33msummary:\u001b[0m ").append(e.summary == null ? "(null)" : e.summary).append("\r\n");
        if (e.since != null) {
            sb.append("  \u001b[33msince:\u001b[0m ").append(e.since).append("\r\n");
        }
        if (withGroup) {
            sb.append("  \u001b[33mgroup:\u001b[0m ").append(e.group == null ? "(null)" : e.group).append("\r\n");
        }
    }
}
