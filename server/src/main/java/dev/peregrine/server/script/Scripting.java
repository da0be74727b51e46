package dev.peregrine.server.script;

import dev.peregrine.server.exec.Propagation;
import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.Command;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import party.iroiro.luajava.Lua;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's scripting state: the EVAL script cache and its Lua runtime, the function libraries, the script
 * running now (for SCRIPT KILL, FUNCTION KILL, FUNCTION STATS and the -BUSY state), and the command path scripts
 * call through ({@code redis.call}/{@code redis.pcall}): each call runs through {@link Engine#process} nested in
 * the script's command, as EXEC runs its queue, so statistics, WATCH, keyspace changes and propagation behave as
 * for any command; the script's writes form one propagation unit with it.
 *
 * <p>Executor-only.
 */
public final class Scripting {
    private static final Logger log = LoggerFactory.getLogger(Scripting.class);

    /** Script shebang flags (Redis's SCRIPT_FLAG_*). */
    static final int FLAG_NO_WRITES = 1;
    static final int FLAG_ALLOW_OOM = 2;
    static final int FLAG_ALLOW_STALE = 4;
    static final int FLAG_NO_CLUSTER = 8;
    static final int FLAG_EVAL_COMPAT = 16;
    static final int FLAG_ALLOW_CROSS_SLOT = 32;

    private final Engine engine;
    private LuaRuntime evalLua;
    /** EVAL scripts by lower-case SHA1: their body, flags and compiled function (a registry reference). */
    private final Map<String, EvalScript> scripts = new HashMap<>();
    private final Functions functions;
    /** The script running now, or null. */
    private Run running;
    /** Redis's 48-bit random generator for math.random, one state for the whole server as in Redis 7. */
    private long rand48 = 0x1234ABCD330EL;
    private final ByteBuf callReplies = Unpooled.buffer(256);
    private Client scriptClient;

    record EvalScript(byte[] body, int flags, int ref) {
    }

    /** A script or function being run. */
    static final class Run {
        final CommandContext context;
        final Client caller;
        final byte[][] argv;
        final long now;
        final Command command;
        final String name;
        final boolean function;
        final int flags;
        final boolean readOnly;
        final long started = System.currentTimeMillis();
        int resp = 2;
        /** redis.set_repl flags: REPL_NONE 0, REPL_AOF 1, REPL_REPLICA 2, REPL_ALL 3 (Propagation's targets). */
        int repl = 3;
        boolean wrote;
        boolean killed;
        boolean busy;

        Run(CommandContext c, String name, boolean function, int flags, boolean readOnly) {
            this.context = c;
            this.caller = c.client();
            this.argv = c.argv();
            this.now = c.now();
            this.command = c.command();
            this.name = name;
            this.function = function;
            this.flags = flags;
            this.readOnly = readOnly;
        }
    }

    public Scripting(Engine engine) {
        this.engine = engine;
        this.functions = new Functions(this);
    }

    Engine engine() {
        return engine;
    }

    /** The function libraries. */
    public Functions functions() {
        return functions;
    }

    /** The script or function running now, or null. */
    Run running() {
        return running;
    }

    /** Whether a script or function is running now. */
    public boolean scriptRunning() {
        return running != null;
    }

    LuaRuntime evalLua() {
        if (evalLua == null) {
            evalLua = new LuaRuntime(this, host(false));
        }
        return evalLua;
    }

    /** The callbacks of a runtime: redis.call and friends act on the script running now. */
    LuaRuntime.Host host(boolean functionRuntime) {
        return new LuaRuntime.Host() {
            @Override
            public int call(Lua l, boolean raise) {
                return Scripting.this.call(l, raise, functionRuntime ? functions.lua() : evalLua);
            }

            @Override
            public String hook() {
                return Scripting.this.hook();
            }

            @Override
            public int register(Lua l) {
                return functionRuntime ? functions.register(l) : registerOutsideLoad(l);
            }

            @Override
            public boolean functions() {
                return functionRuntime;
            }

            @Override
            public void setResp(int resp) {
                if (running != null) {
                    running.resp = resp;
                }
            }

            @Override
            public void setRepl(int flags) {
                if (running != null) {
                    running.repl = flags;
                }
            }
        };
    }

    private static int registerOutsideLoad(Lua l) {
        pushError(l, "ERR redis.register_function can only be called on FUNCTION LOAD command");
        return 1;
    }

    // ---------------------------------------------------------------- persistence

    /** The function libraries' source code for an RDB file (none when scripting was never used). */
    public static java.util.List<byte[]> functionCodes(Engine engine) {
        return engine.scriptingStarted() ? engine.scripting().functions().codes() : java.util.List.of();
    }

    /**
     * Loads the function libraries of an RDB file (start-up, AOF base, DEBUG RELOAD); with {@code flushFirst} the
     * current libraries go first. A library that fails to load fails the load, as in Redis.
     *
     * @throws CommandError a library that does not load (its message)
     */
    public static void loadFunctions(Engine engine, java.util.List<byte[]> codes, boolean flushFirst) {
        if (codes.isEmpty() && !flushFirst) {
            return;
        }
        Functions f = engine.scripting().functions();
        if (flushFirst) {
            f.flush();
        }
        for (byte[] code : codes) {
            f.load(code, true);
        }
    }

    // ---------------------------------------------------------------- EVAL family

    /** SHA1 of {@code body} in lower-case hex. */
    public static String sha1hex(byte[] body) {
        MessageDigest md = SHA1.get();
        md.reset();
        byte[] d = md.digest(body);
        StringBuilder sb = new StringBuilder(40);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** SCRIPT LOAD and EVAL's first run: compiles and caches {@code body}; errors as Redis. */
    String load(byte[] body) {
        String sha = sha1hex(body);
        if (scripts.containsKey(sha)) {
            return sha;
        }
        int flags = FLAG_EVAL_COMPAT;
        byte[] code = body;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            flags = parseShebang(body);
            // keep line numbers: the shebang line becomes a comment
            code = body.clone();
            code[0] = '-';
            code[1] = '-';
        }
        LuaRuntime lua = evalLua();
        String error = lua.compile(code, "@user_script");
        if (error != null) {
            throw new CommandError("ERR Error compiling script (new function): " + error);
        }
        int ref = lua.lua.ref();
        scripts.put(sha, new EvalScript(body, flags, ref));
        return sha;
    }

    private static int parseShebang(byte[] body) {
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        String line = new String(body, 2, end - 2, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ");
        if (!parts[0].equals("lua")) {
            throw new CommandError("ERR Unexpected engine in script shebang: #!" + parts[0]);
        }
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            if (!p.startsWith("flags=")) {
                throw new CommandError("ERR Unknown lua shebang option: " + p);
            }
            for (String f : p.substring(6).split(",")) {
                if (f.isEmpty()) {
                    continue;
                }
                flags |= flag(f, "ERR Unexpected flag in script shebang: " + f);
            }
        }
        return flags;
    }

    /** A flag name of a shebang or register_function, or a {@link CommandError} with {@code error}. */
    static int flag(String f, String error) {
        switch (f) {
            case "no-writes": return FLAG_NO_WRITES;
            case "allow-oom": return FLAG_ALLOW_OOM;
            case "allow-stale": return FLAG_ALLOW_STALE;
            case "no-cluster": return FLAG_NO_CLUSTER;
            case "allow-cross-slot-keys": return FLAG_ALLOW_CROSS_SLOT;
            default: throw new CommandError(error);
        }
    }

    /**
     * Whether EVAL, EVALSHA or FCALL with {@code argv} runs a script that may write (no {@code no-writes} flag):
     * such a call waits under CLIENT PAUSE WRITE. An unknown script or function counts as writing (it fails at
     * once when run anyway).
     */
    public boolean mayWrite(byte[][] argv) {
        if (argv.length < 2) {
            return true;
        }
        String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int flags;
        if (name.equals("fcall")) {
            Functions.Function f = functions.function(new String(argv[1], StandardCharsets.ISO_8859_1));
            if (f == null) {
                return true;
            }
            flags = f.flags();
        } else {
            String sha = name.equals("evalsha") ? new String(argv[1], StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT) : sha1hex(argv[1]);
            EvalScript s = scripts.get(sha);
            if (s != null) {
                flags = s.flags();
            } else if (name.equals("eval") && argv[1].length > 1 && argv[1][0] == '#' && argv[1][1] == '!') {
                try {
                    flags = parseShebang(argv[1]);
                } catch (CommandError e) {
                    return true;
                }
            } else {
                return true;
            }
        }
        return (flags & FLAG_NO_WRITES) == 0;
    }

    /** INFO number_of_cached_scripts. */
    public int cachedScripts() {
        return scripts.size();
    }

    boolean scriptExists(String sha) {
        return scripts.containsKey(sha.toLowerCase(Locale.ROOT));
    }

    /** SCRIPT FLUSH: drops the cache and starts a fresh interpreter, as Redis does. */
    void flushScripts() {
        scripts.clear();
        if (evalLua != null) {
            evalLua.close();
            evalLua = null;
        }
    }

    /** Parses numkeys at {@code argv[2]}: errors as Redis. */
    static int numKeys(CommandContext c) {
        long n = c.longArg(2);
        if (n < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        if (n > c.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        return (int) n;
    }

    /** EVAL / EVAL_RO ({@code bySha} false) and EVALSHA / EVALSHA_RO. */
    void eval(CommandContext c, boolean bySha, boolean readOnlyCommand) {
        String sha;
        if (bySha) {
            sha = c.argString(1).toLowerCase(Locale.ROOT);
            if (!scripts.containsKey(sha)) {
                throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
            }
        } else {
            // Redis checks numkeys before compiling
            numKeys(c);
            sha = load(c.arg(1));
        }
        int numkeys = numKeys(c);
        EvalScript s = scripts.get(sha);
        checkRunnable(s.flags(), readOnlyCommand);
        LuaRuntime lua = evalLua;
        lua.setGlobals(c.argv(), 3, numkeys);
        lua.lua.refGet(s.ref());
        boolean readOnly = readOnlyCommand || (s.flags() & FLAG_NO_WRITES) != 0;
        execute(c, lua, new Run(c, sha, false, s.flags(), readOnly), 0);
    }

    /** Redis's scriptPrepareForRun checks of a script's flags. */
    static void checkRunnable(int flags, boolean readOnlyCommand) {
        if ((flags & FLAG_EVAL_COMPAT) == 0 && readOnlyCommand && (flags & FLAG_NO_WRITES) == 0) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
    }

    /**
     * Runs the function prepared on {@code lua}'s stack (with {@code nargs} arguments above it) as the script
     * {@code run}, then writes its result (or error) as the caller's reply.
     */
    void execute(CommandContext c, LuaRuntime lua, Run run, int nargs) {
        Run outer = running;
        running = run;
        scriptClient().dbIndex(run.caller.dbIndex());
        Lua l = lua.lua;
        int base = l.getTop() - nargs - 1;
        try {
            lua.runPrepared(nargs);
            restore(c, run);
            boolean ok = l.toBoolean(-2);
            ReplyWriter r = c.reply();
            if (ok) {
                luaToReply(l, r, run.resp, 0);
            } else {
                String msg = errorMessage(l, run);
                engine.stats().countError(msg);
                r.error("-" + msg);
            }
        } finally {
            l.setTop(base);
            running = outer;
        }
    }

    /** The error reply of a failed script from the error table on top of the stack. */
    private static String errorMessage(Lua l, Run run) {
        String err = "ERR unknown error";
        if (l.isTable(-1)) {
            l.getField(-1, "err");
            if (l.isString(-1)) {
                err = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
            }
            l.pop(1);
            l.getField(-1, "source");
            String source = l.isString(-1) ? l.toString(-1) : null;
            l.pop(1);
            l.getField(-1, "line");
            long line = l.isNumber(-1) ? l.toInteger(-1) : -1;
            l.pop(1);
            if (source != null) {
                err = err + " script: " + run.name + ", on " + source + ":" + line + ".";
            }
        } else if (l.isString(-1)) {
            err = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
        }
        return err;
    }

    /** Points the shared command context back at the script's own command after nested calls moved it on. */
    private static void restore(CommandContext c, Run run) {
        c.begin(run.caller, run.argv, run.now);
        c.command(run.command);
    }

    // ---------------------------------------------------------------- redis.call

    private int call(Lua l, boolean raise, LuaRuntime lua) {
        Run run = running;
        int top = l.getTop();
        if (run == null) {
            pushError(l, "ERR redis.call can only be called inside a script invocation");
            return failed(l, raise);
        }
        if (top < 1) {
            pushError(l, "ERR Please specify at least one argument for this redis lib call");
            return failed(l, raise);
        }
        byte[][] argv = new byte[top][];
        for (int i = 1; i <= top; i++) {
            Lua.LuaType t = l.type(i);
            if (t == Lua.LuaType.NUMBER) {
                argv[i - 1] = numberArg(l.toNumber(i));
            } else if (t == Lua.LuaType.STRING) {
                argv[i - 1] = LuaRuntime.toBytes(l, i);
            } else {
                pushError(l, "ERR Lua redis lib command arguments must be strings or integers");
                return failed(l, raise);
            }
        }
        Command cmd = engine.commands().lookup(argv[0]);
        if (cmd != null && cmd.isContainer() && argv.length > 1) {
            Command sub = cmd.subcommand(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            if (sub != null) {
                cmd = sub;
            }
        }
        if (cmd == null) {
            pushError(l, "ERR Unknown Redis command called from script");
            return failed(l, raise);
        }
        if (!cmd.spec().arityAccepts(argv.length)) {
            pushError(l, "ERR Wrong number of args calling Redis command from script");
            return failed(l, raise);
        }
        if (cmd.spec().hasFlag("noscript")) {
            pushError(l, "ERR This Redis command is not allowed from script");
            return failed(l, raise);
        }
        boolean write = cmd.spec().hasFlag("write");
        if (write && run.readOnly) {
            pushError(l, "ERR Write commands are not allowed from read-only scripts.");
            return failed(l, raise);
        }
        Client sc = scriptClient();
        sc.protocol(run.resp);
        callReplies.clear();
        sc.replyWriter().wrap(callReplies, run.resp);
        long dirty = engine.stats().dirty;
        int mark = engine.propagation().mark();
        try {
            engine.process(sc, argv, run.now);
            if (run.repl != Propagation.TARGET_ALL) {
                // redis.set_repl: these effects go only to the AOF, only to replicas, or nowhere
                engine.propagation().restrictSince(mark, run.repl);
            }
        } finally {
            sc.replyWriter().wrap(null, run.resp);
            restore(run.context, run);
        }
        if (engine.stats().dirty != dirty) {
            run.wrote = true;
        }
        boolean error = callReplies.isReadable() && callReplies.getByte(0) == '-';
        if (error) {
            int end = callReplies.indexOf(1, callReplies.writerIndex(), (byte) '\r');
            pushErrorBuff(l, callReplies.toString(0, end, StandardCharsets.ISO_8859_1));
            return failed(l, raise);
        }
        new RespToLua(lua, l, callReplies).value();
        return 1;
    }

    /** Redis's luaPushErrorBuff: "-CODE msg" keeps its code, other text gets ERR. */
    static void pushErrorBuff(Lua l, String e) {
        String code = "ERR";
        String msg = e;
        if (e.startsWith("-")) {
            int sp = e.indexOf(' ');
            if (sp < 0) {
                msg = e.substring(1);
            } else {
                code = e.substring(1, sp);
                msg = e.substring(sp + 1);
            }
        }
        pushError(l, code + " " + msg.strip());
    }

    /** The client scripts run their commands as (Redis's script caller client); its database follows the caller. */
    private Client scriptClient() {
        if (scriptClient == null) {
            scriptClient = engine.pseudoClient();
            scriptClient.inScript(true);
        }
        return scriptClient;
    }

    /** With the error table on top: raises it (redis.call) or returns it (redis.pcall). */
    private static int failed(Lua l, boolean raise) {
        return raise ? -1 : 1;
    }

    static void pushError(Lua l, String msg) {
        l.createTable(0, 1);
        l.push(msg);
        l.setField(-2, "err");
    }

    /** A Lua number as a command argument: integers without a fraction, others in their shortest form. */
    static byte[] numberArg(double d) {
        String s;
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            s = Long.toString((long) d);
        } else if (Double.isNaN(d)) {
            s = "nan";
        } else if (Double.isInfinite(d)) {
            s = d > 0 ? "inf" : "-inf";
        } else {
            BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            int exp = b.precision() - b.scale() - 1;
            s = exp < -5 || exp >= 21 ? Double.toString(d).replace("E", "e") : b.toPlainString();
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- Lua -> reply

    /** Writes the Lua value at the top of the stack as a reply, as Redis's luaReplyToRedisReply. */
    static void luaToReply(Lua l, ReplyWriter r, int callerResp, int depth) {
        switch (l.type(-1)) {
            case STRING -> r.bulk(LuaRuntime.toBytes(l, -1));
            case BOOLEAN -> {
                if (callerResp == 3) {
                    r.bool(l.toBoolean(-1));
                } else if (l.toBoolean(-1)) {
                    r.integer(1);
                } else {
                    r.nullBulk();
                }
            }
            case NUMBER -> r.integer(toLongLong(l.toNumber(-1)));
            case TABLE -> tableToReply(l, r, callerResp, depth);
            default -> r.nullBulk();
        }
    }

    /** C's (long long) cast of a double on x86-64: out of range or NaN gives the most negative value. */
    static long toLongLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void tableToReply(Lua l, ReplyWriter r, int callerResp, int depth) {
        if (depth > 1000) {
            r.error("ERR reached lua stack limit");
            return;
        }
        l.checkStack(4);
        l.getField(-1, "err");
        if (l.isString(-1)) {
            String e = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
            l.pop(1);
            r.error("-" + e);
            return;
        }
        l.pop(1);
        l.getField(-1, "ok");
        if (l.isString(-1)) {
            byte[] s = LuaRuntime.toBytes(l, -1);
            l.pop(1);
            for (int i = 0; i < s.length; i++) {
                if (s[i] == '\r' || s[i] == '\n') {
                    s[i] = ' ';
                }
            }
            r.simpleString(s);
            return;
        }
        l.pop(1);
        l.getField(-1, "double");
        if (l.isNumber(-1)) {
            double d = l.toNumber(-1);
            l.pop(1);
            r.doubleValue(d);
            return;
        }
        l.pop(1);
        l.getField(-1, "big_number");
        if (l.isString(-1)) {
            String s = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
            l.pop(1);
            r.bigNumber(s.replace('\r', ' ').replace('\n', ' '));
            return;
        }
        l.pop(1);
        l.getField(-1, "map");
        if (l.isTable(-1)) {
            int n = countPairs(l);
            r.mapHeader(n);
            l.pushNil();
            while (l.next(-2) != 0) {
                l.pushValue(-2);
                luaToReply(l, r, callerResp, depth + 1); // key
                l.pop(1);
                luaToReply(l, r, callerResp, depth + 1); // value
                l.pop(1);
            }
            l.pop(1);
            return;
        }
        l.pop(1);
        l.getField(-1, "set");
        if (l.isTable(-1)) {
            int n = countPairs(l);
            r.setHeader(n);
            l.pushNil();
            while (l.next(-2) != 0) {
                l.pop(1);
                l.pushValue(-1);
                luaToReply(l, r, callerResp, depth + 1);
                l.pop(1);
            }
            l.pop(1);
            return;
        }
        l.pop(1);
        l.getField(-1, "verbatim_string");
        if (l.isTable(-1)) {
            l.getField(-1, "format");
            l.getField(-2, "string");
            if (l.isString(-2) && l.isString(-1)) {
                String format = l.toString(-2);
                byte[] text = LuaRuntime.toBytes(l, -1);
                l.pop(3);
                r.verbatim(format, text);
                return;
            }
            l.pop(2);
        }
        l.pop(1);
        // an array: elements 1..n up to the first nil
        int n = 0;
        while (true) {
            l.rawGetI(-1, n + 1);
            boolean nil = l.isNil(-1);
            l.pop(1);
            if (nil) {
                break;
            }
            n++;
        }
        r.arrayHeader(n);
        for (int i = 1; i <= n; i++) {
            l.rawGetI(-1, i);
            luaToReply(l, r, callerResp, depth + 1);
            l.pop(1);
        }
    }

    private static int countPairs(Lua l) {
        int n = 0;
        l.pushNil();
        while (l.next(-2) != 0) {
            l.pop(1);
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------- busy scripts

    /** While FUNCTION LOAD runs a library's code: the Unix ms time it must end by, else 0. */
    private long loadDeadline;

    /** Bounds the library code FUNCTION LOAD runs (Redis allows 500 ms). */
    void loading(boolean on) {
        loadDeadline = on ? System.currentTimeMillis() + LOAD_TIMEOUT_MS : 0;
    }

    private static final long LOAD_TIMEOUT_MS = 500;

    private String hook() {
        Run run = running;
        if (run == null) {
            if (loadDeadline != 0 && System.currentTimeMillis() > loadDeadline) {
                return "ERR FUNCTION LOAD timeout";
            }
            return null;
        }
        long elapsed = System.currentTimeMillis() - run.started;
        if (!run.busy && elapsed >= engine.config().longValue("busy-reply-threshold")) {
            run.busy = true;
            log.warn("Slow script detected: still in execution after {} milliseconds.", elapsed);
        }
        if (run.busy) {
            engine.pollWhileBusy();
        }
        if (run.killed || aborted) {
            return "ERR Script killed by user with SCRIPT KILL...";
        }
        return null;
    }

    private boolean aborted;

    /** The server is shutting down: the running script (if any) stops at its next hook. */
    public void abort() {
        aborted = true;
    }

    /** Whether the running script passed the busy threshold (other clients get -BUSY). */
    public boolean busy() {
        return running != null && running.busy;
    }

    /** The -BUSY error for other clients while a script is busy. */
    public String busyError() {
        return running != null && running.function
                ? "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
                : "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    }

    /** SCRIPT KILL / FUNCTION KILL. */
    void kill(boolean function) {
        Run run = running;
        if (run == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (run.function != function) {
            throw new CommandError(function
                    ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                    : "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        }
        if (run.wrote) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way using the "
                    + "SHUTDOWN NOSAVE command.");
        }
        run.killed = true;
    }

    // ---------------------------------------------------------------- helpers for the runtimes

    /** The next number of Redis's 48-bit generator in [0, 1): math.random's source. */
    int random(Lua l, LuaRuntime rt) {
        rand48 = (0x5DEECE66DL * rand48 + 0xBL) & ((1L << 48) - 1);
        long v = rand48 >>> 17;
        double r = (double) (v % 2147483647L) / 2147483647.0;
        int n = l.getTop();
        if (n == 0) {
            l.push(r);
            return 1;
        }
        if (n > 2) {
            l.push(rt.where(l) + "wrong number of arguments");
            return -1;
        }
        for (int i = 1; i <= n; i++) {
            if (!l.isNumber(i)) {
                l.push(rt.where(l) + "bad argument #" + i + " to 'random' (number expected, got "
                        + (l.isNoneOrNil(i) ? "no value" : l.type(i).name().toLowerCase(Locale.ROOT)) + ")");
                return -1;
            }
        }
        long lo = n == 2 ? (long) l.toNumber(1) : 1;
        long up = (long) l.toNumber(n);
        if (lo > up) {
            l.push(rt.where(l) + "bad argument #" + n + " to 'random' (interval is empty)");
            return -1;
        }
        l.push(Math.floor(r * (up - lo + 1)) + lo);
        return 1;
    }

    /** math.randomseed. */
    int randomseed(Lua l) {
        long seed = (long) l.toNumber(1);
        rand48 = ((seed & 0xffffffffL) << 16) | 0x330EL;
        return 0;
    }

    void log(int level, String message) {
        switch (level) {
            case 0 -> log.debug(message);
            case 1 -> log.info(message);
            case 2 -> log.info(message);
            default -> log.warn(message);
        }
    }

    String redisVersion() {
        return ServerInfo.REDIS_VERSION;
    }

    long redisVersionNum() {
        String[] p = ServerInfo.REDIS_VERSION.split("\\.");
        return (Long.parseLong(p[0]) << 16) | (Long.parseLong(p[1]) << 8) | Long.parseLong(p[2]);
    }
}
