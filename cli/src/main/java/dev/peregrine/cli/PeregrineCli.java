package dev.peregrine.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code peregrine-cli [options] [command [arg ...]]}: redis-cli for Peregrine (and any RESP server). Sends a
 * command ({@code -r} times, {@code -i} seconds apart), or the lines of stdin, or a Lua script ({@code --eval}),
 * or raw RESP ({@code --pipe}), or walks the keyspace ({@code --scan}), and prints replies byte for byte as
 * redis-cli 7 does: the terminal form when stdout is a terminal, the raw form otherwise, or CSV/JSON. With a
 * terminal and no command it runs an interactive prompt (JLine line editing and history).
 *
 * <p>Single-threaded, except the pipe mode's reply reader.
 */
public final class PeregrineCli {
    static final String VERSION = "peregrine-cli 0.1.0 (redis-cli 7.2 compatible)";

    /** Commands whose reply is printed as it is, whatever the output form (their text is meant for humans). */
    private static final Set<String> VERBATIM_OUTPUT = Set.of("info", "lolwut");

    private final CliOptions o;
    private final InputStream in;
    private OutputStream out;
    private final PrintStream err;
    private final boolean tty;
    private final boolean showPushes;
    private final java.util.function.Function<String, String> env;
    private Supplier<LineEditor> prompts;
    private Connection conn;
    /** Whether commands come from stdin lines or the prompt (redis-cli then reports cluster redirections). */
    private boolean interactive;

    /** Leaves {@link #run} with an exit code. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private PeregrineCli(CliOptions o, InputStream in, OutputStream out, PrintStream err, boolean tty,
                         java.util.function.Function<String, String> env) {
        this.env = env;
        this.o = o;
        this.in = in;
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.showPushes = o.showPushes != null ? o.showPushes : tty;
    }

    public static void main(String[] args) {
        boolean console = isTerminal(System.console());
        boolean stdoutTerminal = isTerminal(org.jline.terminal.spi.SystemStream.Output, console);
        boolean stdinTerminal = isTerminal(org.jline.terminal.spi.SystemStream.Input, console);
        boolean tty = stdoutTerminal || System.getenv("FAKETTY") != null;
        Supplier<LineEditor> prompt = stdinTerminal && stdoutTerminal ? Prompt::system : null;
        int code = run(args, System.in, System.out, System.err, tty, System::getenv, prompt);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Whether a standard stream is a terminal, asked of JLine's native provider (isatty), which tells stdout from
     * stdin as redis-cli does; without it, {@code fallback} (from {@link System#console()}: both are terminals).
     */
    static boolean isTerminal(org.jline.terminal.spi.SystemStream stream, boolean fallback) {
        try {
            return org.jline.terminal.spi.TerminalProvider.load("jni").isSystemStream(stream);
        } catch (Throwable e) {
            return fallback;
        }
    }

    /** Whether the console is an interactive terminal ({@code Console.isTerminal()} on JDK 22+, where a console
     * may exist for redirected streams too). */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only for a terminal
        }
    }

    /**
     * Runs the CLI and returns its exit code.
     *
     * @param args   the command line, as redis-cli takes it
     * @param stdin  what {@code -x}, {@code --pipe} and the line mode read
     * @param stdout where replies go
     * @param stderr where warnings and errors go
     * @param tty    whether stdout is a terminal (terminal form, pushes shown, prompt when there is no command)
     */
    public static int run(String[] args, InputStream stdin, OutputStream stdout, OutputStream stderr, boolean tty) {
        return run(args, stdin, stdout, stderr, tty, System::getenv, null);
    }

    /**
     * {@link #run(String[], InputStream, OutputStream, OutputStream, boolean)} with the environment given, and the
     * line editor to use when there is no command ({@code null}: read plain lines from {@code stdin}).
     */
    static int run(String[] args, InputStream stdin, OutputStream stdout, OutputStream stderr, boolean tty,
                   java.util.function.Function<String, String> env, Supplier<LineEditor> prompt) {
        PrintStream err = stderr instanceof PrintStream ? (PrintStream) stderr : new PrintStream(stderr, true);
        BufferedOutputStream out = new BufferedOutputStream(stdout, 65536);
        PeregrineCli cli = null;
        try {
            CliOptions o;
            try {
                o = CliOptions.parse(args, tty);
            } catch (CliOptions.UsageError e) {
                err.println(e.getMessage());
                return 1;
            }
            cli = new PeregrineCli(o, stdin, out, err, tty, env);
            cli.prompts = prompt;
            return cli.execute();
        } catch (Exit e) {
            return e.code;
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } finally {
            try {
                out.flush();
            } catch (IOException ignored) {
                // stdout is gone: nothing more to say
            }
            err.flush();
            if (cli != null && cli.conn != null) {
                try {
                    cli.conn.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private int execute() throws IOException {
        if (o.help) {
            out.write(Help.TEXT.getBytes(StandardCharsets.UTF_8));
            return 0;
        }
        if (o.version) {
            out.write((VERSION + "\n").getBytes(StandardCharsets.UTF_8));
            return 0;
        }
        if (o.auth != null && !o.noAuthWarning) {
            err.println("Warning: Using a password with '-a' or '-u' option on the command line interface may not be"
                    + " safe.");
        }
        if (o.askpass) {
            o.auth = askPassword();
        } else if (o.auth == null) {
            o.auth = env.apply("REDISCLI_AUTH");
        }
        if (o.intrinsicLatencySeconds > 0) {
            return new IntrinsicLatency(out, o.intrinsicLatencySeconds).run();
        }
        if (o.pipe) {
            connectOrExit();
            return new PipeMode(conn, in, out, err, o.pipeTimeoutSeconds).run();
        }
        if (o.lruTestKeys > 0) {
            connectOrExit();
            return new LruTest(conn, out, err, o.lruTestKeys).run();
        }
        if (o.replica) {
            connectOrExit();
            return new ReplicaMode(conn, out, err).run();
        }
        if (o.rdbFile != null) {
            connectOrExit();
            return new RdbMode(conn, out, err, o.rdbFile, o.functionsRdb).run();
        }
        if (o.stat) {
            connectOrExit();
            return new StatMode(conn, out, err, o.intervalMicros).run();
        }
        if (o.latency || o.latencyHistory) {
            connectOrExit();
            return new LatencyMode(conn, out, err, o.output, o.latencyHistory, o.intervalMicros).run();
        }
        if (o.latencyDist) {
            connectOrExit();
            return new LatencyDistMode(conn, this::reconnectQuietly, out, err, o.mono, o.intervalMicros).run();
        }
        if (o.bigkeys || o.memkeys) {
            connectOrExit();
            return new KeySizes(conn, out, err, o.memkeys, o.memkeysSamples, o.pattern, o.intervalMicros).run();
        }
        if (o.hotkeys) {
            connectOrExit();
            return new HotKeys(conn, out, err, o.pattern, o.intervalMicros).run();
        }
        if (o.scan) {
            connectOrExit();
            return scan();
        }
        if (o.command.isEmpty() && o.evalFile == null) {
            return lines();
        }
        connectOrExit();
        if (o.evalFile != null) {
            return eval();
        }
        return noninteractive();
    }

    // ---------------------------------------------------------------- connecting

    private String address() {
        return o.socket != null ? o.socket : o.host + ":" + o.port;
    }

    /** Connects, authenticates, selects the database and switches protocol; false after printing why not. */
    private boolean connect() throws IOException {
        return connect(true);
    }

    /** {@link #connect()}, printing the failures only when {@code report}. */
    private boolean connect(boolean report) throws IOException {
        try {
            conn = o.socket != null ? Connection.unix(o.socket)
                    : o.tls ? Connection.tls(new Tls(o).connect(o.host, o.port)) : Connection.tcp(o.host, o.port);
        } catch (IOException | UnresolvedAddressException | UnsupportedOperationException e) {
            if (report) {
                err.println("Could not connect to Redis at " + address() + ": " + reason(e));
            }
            conn = null;
            return false;
        }
        if (o.auth != null) {
            Reply r = o.user == null ? conn.callStrings("AUTH", o.auth) : conn.callStrings("AUTH", o.user, o.auth);
            if (r.type == Reply.ERROR) {
                // like redis-cli: report, skip SELECT and HELLO, and still run the command
                if (report) {
                    err.println("AUTH failed: " + r.text());
                }
                return true;
            }
        }
        if (o.db != 0) {
            Reply r = conn.callStrings("SELECT", Integer.toString(o.db));
            if (r.type == Reply.ERROR) {
                if (report) {
                    err.println("SELECT " + o.db + " failed: " + r.text());
                }
            }
        }
        if (o.resp == 3) {
            Reply r = conn.callStrings("HELLO", "3");
            if (r.type == Reply.ERROR) {
                if (report) {
                    err.println("HELLO 3 failed: " + r.text());
                }
                conn.close();
                conn = null;
                return false;
            }
        }
        return true;
    }

    /** A new connection set up as {@link #connect} does (AUTH, SELECT, HELLO), printing nothing; null on failure. */
    private Connection reconnectQuietly() {
        try {
            if (conn != null) {
                conn.close();
                conn = null;
            }
            return connect(false) ? conn : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void connectOrExit() throws IOException {
        if (!connect()) {
            throw new Exit(1);
        }
    }

    private static String reason(Exception e) {
        if (e instanceof UnresolvedAddressException) {
            return "Name or service not known";
        }
        if (e instanceof UnsupportedOperationException) {
            return "unix sockets are not supported on this platform";
        }
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int paren = m.indexOf(" (");
        return paren > 0 && m.endsWith(")") ? m.substring(0, paren) : m;
    }

    private String askPassword() throws IOException {
        Console c = tty && isTerminal(System.console()) ? System.console() : null;
        if (c != null) {
            char[] p = c.readPassword("Please input password: ");
            return p == null ? "" : new String(p);
        }
        byte[] line = readLine();
        return line == null ? "" : new String(line, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- printing

    /** Prints a reply in the chosen form followed by its separator; {@code verbatim} prints it raw and bare. */
    private void print(Reply r, boolean verbatim) throws IOException {
        if (verbatim) {
            out.write(ReplyFormatter.raw(r, o.bulkDelim));
        } else {
            switch (o.output) {
                case STANDARD:
                    out.write(ReplyFormatter.tty(r));
                    break;
                case RAW:
                    out.write(ReplyFormatter.raw(r, o.bulkDelim));
                    out.write(o.replyDelim);
                    break;
                case CSV:
                    out.write(ReplyFormatter.csv(r));
                    out.write('\n');
                    break;
                default:
                    out.write(ReplyFormatter.json(r, o.output == CliOptions.Output.QUOTED_JSON));
                    out.write('\n');
            }
        }
        out.flush();
    }

    /** Reads the next reply, printing (or dropping) the RESP3 pushes that come before it. */
    private Reply readReply() throws IOException {
        while (true) {
            Reply r = conn.read();
            if (r.type != Reply.PUSH) {
                return r;
            }
            if (showPushes) {
                print(r, false);
            }
        }
    }

    // ---------------------------------------------------------------- modes

    private int noninteractive() throws IOException {
        List<byte[]> argv = new ArrayList<>();
        for (String a : o.command) {
            if (o.quotedInput) {
                byte[] b = CliOptions.unquote(a);
                if (b == null) {
                    out.write("Invalid quoted string\n".getBytes(StandardCharsets.US_ASCII));
                    return 1;
                }
                argv.add(b);
            } else {
                argv.add(a.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (o.stdinLastArg) {
            argv.add(in.readAllBytes());
        } else if (o.stdinTag != null) {
            byte[] tag = o.stdinTag.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < argv.size(); i++) {
                if (java.util.Arrays.equals(argv.get(i), tag)) {
                    argv.set(i, in.readAllBytes());
                    break;
                }
            }
        }
        return send(argv, o.repeat, o.setErrcode) ? 0 : 1;
    }

    /**
     * Sends {@code argv} {@code repeat} times (forever when negative), printing each reply; with {@code errcode}
     * an error reply goes to stderr and stops. SUBSCRIBE and MONITOR keep printing what arrives until the
     * connection closes.
     *
     * @return false on an error reply under {@code errcode}, or a lost connection
     */
    private boolean send(List<byte[]> argv, long repeat, boolean errcode) throws IOException {
        String name = new String(argv.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        String sub = argv.size() > 1 ? new String(argv.get(1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT) : "";
        boolean verbatim = VERBATIM_OUTPUT.contains(name)
                || name.equals("client") && (sub.equals("list") || sub.equals("info"))
                || name.equals("memory") && (sub.equals("malloc-stats") || sub.equals("doctor"))
                || name.equals("latency") && (argv.size() == 2 && sub.equals("doctor")
                                              || argv.size() == 3 && sub.equals("graph"))
                || name.equals("cluster") && argv.size() == 2 && (sub.equals("nodes") || sub.equals("info"))
                || name.equals("debug") && (sub.equals("htstats") || sub.equals("htstats-key")
                                            || sub.equals("client-eviction"));
        boolean streaming = name.equals("subscribe") || name.equals("psubscribe") || name.equals("ssubscribe")
                || name.equals("monitor");
        byte[] request = Connection.encode(argv);
        final long repeatAll = repeat;
        boolean asking = false;
        while (repeat < 0 || repeat-- > 0) {
            Reply r;
            try {
                if (asking) {
                    conn.callStrings("ASKING");
                    asking = false;
                }
                conn.write(request);
                if (streaming) {
                    if (o.output == CliOptions.Output.STANDARD && !name.equals("monitor")) {
                        out.write("Reading messages... (press Ctrl-C to quit)\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    while (true) {
                        print(conn.read(), false);
                    }
                }
                r = readReply();
            } catch (IOException e) {
                if (name.equals("shutdown")) {
                    return true;
                }
                out.flush();
                err.println("Error: " + e.getMessage());
                conn.close();
                conn = null;
                return false;
            }
            if (o.clusterMode && r.type == Reply.ERROR && isRedirect(r.text())) {
                // -c: follow MOVED/ASK to the node named in the error and run the command there from the start
                String[] parts = r.text().split(" ");
                String node = parts.length > 2 ? parts[2] : "";
                int colon = node.lastIndexOf(':');
                o.host = node.substring(0, Math.max(colon, 0));
                o.port = CliOptions.atoi(node.substring(colon + 1));
                if (interactive) {
                    out.write(("-> Redirected to slot [" + CliOptions.atoi(parts[1]) + "] located at " + o.host
                            + ":" + o.port + "\n").getBytes(StandardCharsets.UTF_8));
                }
                asking = r.text().startsWith("ASK ");
                conn.close();
                if (!connect()) {
                    return false;
                }
                repeat = repeatAll;
                continue;
            }
            if (r.type == Reply.ERROR && errcode) {
                out.flush();
                err.println(r.text());
                return false;
            }
            print(r, verbatim);
            if (name.equals("select") && argv.size() == 2 && r.type == Reply.STATUS) {
                o.db = CliOptions.atoi(new String(argv.get(1), StandardCharsets.UTF_8)); // for the prompt
            }
            if (o.intervalMicros > 0 && (repeat != 0)) {
                sleepMicros(o.intervalMicros);
            }
        }
        return true;
    }

    private static boolean isRedirect(String error) {
        return error.startsWith("MOVED ") && error.indexOf(' ', 6) > 0
                || error.startsWith("ASK ") && error.indexOf(' ', 4) > 0;
    }

    private static void sleepMicros(long micros) {
        try {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Exit(1);
        }
    }

    /**
     * No command: runs each line of stdin as a command (quoted as redis-cli's prompt takes them; a leading number
     * repeats the command; {@code quit}/{@code exit} stop; {@code help} is answered from the server's COMMAND DOCS,
     * fetched once), printing a prompt first when on a terminal. A command whose connection dropped reports the
     * error and leaves the prompt {@code not connected> }; the next command connects again.
     */
    private int lines() throws IOException {
        interactive = true;
        connect(); // on failure, like redis-cli, keep reading and retry the connection for every command
        LineEditor editor = prompts != null ? prompts.get() : null;
        OutputStream stdout = out;
        try {
            if (editor != null) {
                out.flush();
                out = new BufferedOutputStream(editor.output(), 65536); // one stream with the editor's drawing
                loadPreferences(editor);
            }
            this.editor = editor;
            loadCommandHelp();
            return lines(editor);
        } finally {
            this.editor = null;
            if (editor != null) {
                out.flush();
                out = stdout;
                editor.close();
            }
        }
    }

    /** The prompt's line editor while {@link #lines} runs on a terminal, else {@code null}. */
    private LineEditor editor;
    /** The server's commands for help, hints and completion; {@code null} until fetched from a connection. */
    private CommandHelp commandHelp;

    /** Fetches COMMAND DOCS the first time a connection is up (redis-cli does it once, at the start). */
    private void loadCommandHelp() {
        if (commandHelp != null || conn == null) {
            return;
        }
        try {
            commandHelp = CommandHelp.fetch(conn);
        } catch (IOException e) {
            commandHelp = null; // the command that follows finds the connection broken and reports it
            return;
        }
        if (editor != null) {
            editor.commands(commandHelp);
        }
    }

    /** Reads {@code ~/.redisclirc} ({@code REDISCLI_RCFILE}; {@code /dev/null}: none): {@code :set} lines. */
    private void loadPreferences(LineEditor editor) throws IOException {
        String file = env.apply("REDISCLI_RCFILE");
        Path rc;
        if (file != null && !file.isEmpty()) {
            if (file.equals("/dev/null")) {
                return;
            }
            rc = Path.of(file);
        } else {
            String home = env.apply("HOME");
            if (home == null || home.isEmpty()) {
                return;
            }
            rc = Path.of(home, ".redisclirc");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(rc, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return;
        }
        for (String line : lines) {
            List<String> argv = dev.peregrine.protocol.SplitArgs.split(line);
            if (argv != null && !argv.isEmpty()) {
                setPreference(argv, false, editor);
            }
        }
    }

    /** {@code :set hints} / {@code :set nohints}; anything else is reported as redis-cli reports it. */
    private void setPreference(List<String> argv, boolean fromPrompt, LineEditor editor) throws IOException {
        String where = fromPrompt ? "" : ".redisclirc: ";
        String message = null;
        if (argv.get(0).equalsIgnoreCase(":set") && argv.size() >= 2) {
            if (argv.get(1).equalsIgnoreCase("hints")) {
                if (editor != null) {
                    editor.hints(true);
                }
            } else if (argv.get(1).equalsIgnoreCase("nohints")) {
                if (editor != null) {
                    editor.hints(false);
                }
            } else {
                message = where + "unknown redis-cli preference '" + argv.get(1) + "'\n";
            }
        } else {
            message = where + "unknown redis-cli internal command '" + argv.get(0) + "'\n";
        }
        if (message != null) {
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * Whether a command carries a secret and stays out of the history, as redis-cli decides: AUTH, ACL SETUSER,
     * CONFIG SET masterauth/masteruser/requirepass, HELLO with AUTH, MIGRATE with AUTH/AUTH2.
     */
    static boolean isSensitive(List<String> argv) {
        int argc = argv.size();
        String a0 = argv.get(0);
        if (a0.equalsIgnoreCase("auth")) {
            return true;
        }
        if (argc > 1 && a0.equalsIgnoreCase("acl") && argv.get(1).equalsIgnoreCase("setuser")) {
            return true;
        }
        if (argc > 2 && a0.equalsIgnoreCase("config") && argv.get(1).equalsIgnoreCase("set")) {
            String p = argv.get(2);
            return p.equalsIgnoreCase("masterauth") || p.equalsIgnoreCase("masteruser")
                    || p.equalsIgnoreCase("requirepass");
        }
        if (argc > 4 && a0.equalsIgnoreCase("hello")) {
            for (int j = 2; j < argc; j++) {
                int more = argc - 1 - j;
                if (argv.get(j).equalsIgnoreCase("auth") && more >= 2) {
                    return true;
                } else if (argv.get(j).equalsIgnoreCase("setname") && more > 0) {
                    j++;
                } else {
                    return false;
                }
            }
            return false;
        }
        if (argc > 7 && a0.equalsIgnoreCase("migrate")) {
            for (int j = 6; j < argc; j++) {
                int more = argc - 1 - j;
                if (argv.get(j).equalsIgnoreCase("auth") && more > 0) {
                    return true;
                } else if (argv.get(j).equalsIgnoreCase("auth2") && more >= 2) {
                    return true;
                } else if (argv.get(j).equalsIgnoreCase("keys") && more > 0) {
                    return false;
                }
            }
        }
        return false;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private int lines(LineEditor editor) throws IOException {
        while (true) {
            String prompt = (conn == null ? "not connected" : address() + (o.db != 0 ? "[" + o.db + "]" : "")) + "> ";
            byte[] line;
            if (editor != null) {
                out.flush();
                line = editor.readLine(prompt);
            } else {
                line = readLine(); // stdin is not a terminal: no prompt, as redis-cli
            }
            if (line == null) {
                return 0;
            }
            if (line.length == 0) {
                continue;
            }
            String text = utf8(line);
            byte[][] args = dev.peregrine.protocol.SplitArgs.split(line, 0, line.length);
            if (args == null) {
                out.write("Invalid argument(s)\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (editor != null) {
                    editor.addHistory(text);
                }
                continue;
            }
            if (args.length == 0) {
                continue;
            }
            List<String> words = new ArrayList<>(args.length);
            for (byte[] a : args) {
                words.add(utf8(a));
            }
            String first = words.get(0);
            long repeat = 1;
            int skip = 0;
            if (args.length > 1 && first.matches("[+-]?[0-9]+")) {
                try {
                    repeat = Long.parseLong(first);
                } catch (NumberFormatException e) {
                    repeat = 0;
                }
                if (repeat <= 0) {
                    out.write("Invalid redis-cli repeat command option value.\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                skip = 1;
            }
            if (editor != null && !isSensitive(words.subList(skip, words.size()))) {
                editor.addHistory(text);
            }
            if (first.equalsIgnoreCase("quit") || first.equalsIgnoreCase("exit")) {
                return 0;
            }
            if (first.startsWith(":")) {
                setPreference(words, true, editor);
                continue;
            }
            if (first.equalsIgnoreCase("restart")) {
                out.write("Use 'restart' only in Lua debugging mode.\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                continue;
            }
            if (args.length == 3 && first.equalsIgnoreCase("connect")) {
                o.host = words.get(1);
                o.port = CliOptions.atoi(words.get(2));
                o.socket = null;
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
                connect();
                loadCommandHelp();
                continue;
            }
            if (args.length == 1 && first.equalsIgnoreCase("clear")) {
                if (editor != null) {
                    editor.clearScreen();
                }
                continue;
            }
            long start = System.nanoTime();
            String name = words.get(skip);
            if (name.equalsIgnoreCase("help") || name.equals("?")) {
                help(words.subList(skip + 1, words.size()));
            } else {
                if (conn == null) {
                    if (!connect()) {
                        continue;
                    }
                    loadCommandHelp();
                }
                List<byte[]> argv = new ArrayList<>(List.of(args).subList(skip, args.length));
                send(argv, repeat, false);
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (elapsedMs >= 500 && o.output == CliOptions.Output.STANDARD) {
                out.write(String.format(Locale.ROOT, "(%.2fs)\n", elapsedMs / 1000.0).getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }

    /** {@code help}, {@code help <command> [<subcommand>]}, {@code help @<group>}. */
    private void help(List<String> args) throws IOException {
        if (args.isEmpty()) {
            out.write(Help.interactive().getBytes(StandardCharsets.UTF_8));
        } else {
            if (commandHelp == null) {
                loadCommandHelpQuietly();
            }
            CommandHelp h = commandHelp != null ? commandHelp : CommandHelp.EMPTY;
            out.write(h.help(args).getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    /** Help asked for while not connected: one quiet connection attempt for the docs (nothing printed on failure). */
    private void loadCommandHelpQuietly() {
        if (conn != null) {
            loadCommandHelp();
            return;
        }
        try (Connection c = o.socket != null ? Connection.unix(o.socket)
                : o.tls ? Connection.tls(new Tls(o).connect(o.host, o.port)) : Connection.tcp(o.host, o.port)) {
            if (o.auth != null) {
                if (o.user == null) {
                    c.callStrings("AUTH", o.auth);
                } else {
                    c.callStrings("AUTH", o.user, o.auth);
                }
            }
            commandHelp = CommandHelp.fetch(c);
            if (editor != null) {
                editor.commands(commandHelp);
            }
        } catch (IOException | RuntimeException e) {
            // no server: no command help
        }
    }

    /** Reads one line of stdin without its line end ({@code \n} or {@code \r\n}); {@code null} at the end. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                break;
            }
            line.write(c);
        }
        if (!any) {
            return null;
        }
        byte[] b = line.toByteArray();
        if (b.length > 0 && b[b.length - 1] == '\r') {
            return java.util.Arrays.copyOf(b, b.length - 1);
        }
        return b;
    }

    /** {@code --eval file keys... , args...}: EVAL with the file's script. */
    private int eval() throws IOException {
        byte[] script;
        try {
            script = Files.readAllBytes(Path.of(o.evalFile));
        } catch (NoSuchFileException e) {
            err.println("Can't open file '" + o.evalFile + "': No such file or directory");
            return 1;
        } catch (AccessDeniedException e) {
            err.println("Can't open file '" + o.evalFile + "': Permission denied");
            return 1;
        } catch (IOException e) {
            err.println("Can't open file '" + o.evalFile + "': " + e.getMessage());
            return 1;
        }
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        boolean comma = false;
        for (String a : o.command) {
            if (!comma && a.equals(",")) {
                comma = true;
                continue;
            }
            (comma ? args : keys).add(a.getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> argv = new ArrayList<>();
        argv.add("EVAL".getBytes(StandardCharsets.US_ASCII));
        argv.add(script);
        argv.add(Integer.toString(keys.size()).getBytes(StandardCharsets.US_ASCII));
        argv.addAll(keys);
        argv.addAll(args);
        return send(argv, o.repeat, o.setErrcode) ? 0 : 1;
    }

    /** {@code --scan [--pattern p] [--count n]}: prints every key SCAN returns, one a line. */
    private int scan() throws IOException {
        String cursor = "0";
        do {
            List<byte[]> argv = new ArrayList<>();
            argv.add("SCAN".getBytes(StandardCharsets.US_ASCII));
            argv.add(cursor.getBytes(StandardCharsets.US_ASCII));
            if (o.pattern != null) {
                argv.add("MATCH".getBytes(StandardCharsets.US_ASCII));
                argv.add(o.pattern);
            }
            if (o.count > 0) {
                argv.add("COUNT".getBytes(StandardCharsets.US_ASCII));
                argv.add(Integer.toString(o.count).getBytes(StandardCharsets.US_ASCII));
            }
            Reply r;
            try {
                conn.write(Connection.encode(argv));
                r = readReply();
            } catch (IOException e) {
                err.println("I/O error");
                return 1;
            }
            if (r.type == Reply.ERROR) {
                out.flush();
                err.println("SCAN error: " + r.text());
                return 1;
            }
            cursor = r.elements[0].text();
            for (Reply key : r.elements[1].elements) {
                if (o.output == CliOptions.Output.STANDARD) {
                    ReplyFormatter.Buf b = new ReplyFormatter.Buf();
                    ReplyFormatter.repr(key.str, b);
                    out.write(b.toByteArray());
                } else {
                    // redis-cli prints the key as a C string: it stops at a NUL byte
                    int n = 0;
                    while (n < key.str.length && key.str[n] != 0) {
                        n++;
                    }
                    out.write(key.str, 0, n);
                }
                out.write('\n');
            }
            out.flush();
            if (o.intervalMicros > 0) {
                sleepMicros(o.intervalMicros);
            }
        } while (!cursor.equals("0"));
        return 0;
    }
}
