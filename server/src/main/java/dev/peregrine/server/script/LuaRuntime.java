package dev.peregrine.server.script;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One real Lua 5.1 interpreter (through the luajava JNI binding) set up the way Redis sets up its scripting
 * engine: the sandbox, the {@code redis}/{@code server} API, the libraries, and a runner that turns every error
 * into a table {@code {err=, source=, line=}}. EVAL scripts and function libraries each get their own runtime.
 *
 * <p>Strings cross the boundary as bytes: {@link #pushBytes} and {@link #toBytes} are binary safe.
 * Executor-only.
 */
final class LuaRuntime implements AutoCloseable {
    /** What the Java bindings call back into; one per runtime. */
    interface Host {
        /**
         * redis.call / redis.pcall: the command is at stack index 1; pushes the reply and returns 1, or for a failed
         * redis.call pushes the error table and returns -1 (the binding raises it).
         */
        int call(Lua l, boolean raise);

        /** The time-limit hook: an error message to abort the script with, or null. */
        String hook();

        /** redis.register_function: pushes what it returns. */
        int register(Lua l);

        void setResp(int resp);

        void setRepl(int flags);

        /** Whether this runtime runs function libraries (it has redis.register_function). */
        boolean functions();
    }

    final Lua lua;
    private final int unjavaRef;
    private final int compileRef;
    private final int runRef;
    private final int setGlobalsRef;
    private final int whereRef;
    private final int compileLibraryRef;
    private final Scripting scripting;

    LuaRuntime(Scripting scripting, Host host) {
        this.scripting = scripting;
        lua = new Lua51();
        lua.openLibraries();
        lua.newTable();
        // redis.call raises a failure (returning -1 makes the binding raise the value on top); redis.pcall returns it
        field("call", l -> host.call(l, true));
        field("pcall", l -> host.call(l, false));
        field("hook", l -> {
            String e = host.hook();
            if (e == null) {
                return 0;
            }
            l.push(e);
            return 1;
        });
        if (host.functions()) {
            field("register", host::register);
        }
        field("setresp", l -> {
            host.setResp((int) l.toInteger(1));
            return 0;
        });
        field("set_repl", l -> {
            host.setRepl((int) l.toInteger(1));
            return 0;
        });
        field("sha1hex", l -> {
            if (l.getTop() != 1) {
                Scripting.pushError(l, "ERR wrong number of arguments");
                return -1;
            }
            byte[] s = l.isString(1) || l.isNumber(1) ? toBytes(l, 1) : new byte[0];
            l.push(Scripting.sha1hex(s));
            return 1;
        });
        field("log", l -> {
            scripting.log((int) l.toInteger(1), new String(toBytes(l, 2), StandardCharsets.ISO_8859_1));
            return 0;
        });
        field("random", l -> scripting.random(l, this));
        field("randomseed", scripting::randomseed);
        lua.push(scripting.redisVersion());
        lua.setField(-2, "version");
        lua.push(scripting.redisVersionNum());
        lua.setField(-2, "version_num");
        lua.pushValue(-1);
        LuaLibraries.install(this);
        lua.setGlobal("__J");
        try {
            run(resource("/lua/libs.lua"), "=libs", 0);
            run(resource("/lua/prelude.lua"), "=prelude", 1);
        } catch (LuaException e) {
            throw new IllegalStateException("Lua prelude failed: " + e.getMessage(), e);
        }
        // entry points
        lua.getField(-1, "unjava");
        unjavaRef = lua.ref();
        lua.getField(-1, "compile");
        compileRef = lua.ref();
        lua.getField(-1, "run");
        runRef = lua.ref();
        lua.getField(-1, "setglobals");
        setGlobalsRef = lua.ref();
        lua.getField(-1, "where");
        whereRef = lua.ref();
        lua.getField(-1, "compile_library");
        compileLibraryRef = lua.ref();
        lua.setTop(0);
    }

    /** Sets field {@code name} of the table on top of the stack to a Java function. */
    void field(String name, JFunction f) {
        lua.push(f);
        lua.setField(-2, name);
    }

    private static byte[] resource(String name) {
        try (InputStream in = LuaRuntime.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Lua resource missing: " + name, e);
        }
    }

    private void run(byte[] code, String name, int results) throws LuaException {
        ByteBuffer b = ByteBuffer.allocateDirect(code.length);
        b.put(code).flip();
        lua.load(b, name);
        lua.pCall(0, results);
    }

    /**
     * Compiles {@code code} as chunk {@code chunkname} with the sandboxed globals and leaves the function on the
     * stack; on a syntax error leaves nothing and returns Lua's message.
     */
    String compile(byte[] code, String chunkname) {
        lua.refGet(compileRef);
        pushBytes(lua, code, 0, code.length);
        lua.push(chunkname);
        lua.pCall(2, 2);
        if (lua.isNil(-2)) {
            String msg = new String(toBytes(lua, -1), StandardCharsets.ISO_8859_1);
            lua.pop(2);
            return msg;
        }
        lua.pop(1);
        return null;
    }

    /**
     * Compiles a function library: on success leaves the function that ends its loading phase, then the chunk,
     * on the stack and returns null; on a syntax error leaves nothing and returns Lua's message.
     */
    String compileLibrary(byte[] code, String chunkname) {
        lua.refGet(compileLibraryRef);
        pushBytes(lua, code, 0, code.length);
        lua.push(chunkname);
        lua.pCall(2, 2);
        if (lua.isNil(-2)) {
            String msg = new String(toBytes(lua, -1), StandardCharsets.ISO_8859_1);
            lua.pop(2);
            return msg;
        }
        lua.insert(-2); // done, chunk
        return null;
    }

    /** Sets the KEYS and ARGV globals from {@code argv[from..from+numkeys)} and the rest. */
    void setGlobals(byte[][] argv, int from, int numkeys) {
        lua.refGet(setGlobalsRef);
        pushArray(argv, from, numkeys);
        pushArray(argv, from + numkeys, argv.length - from - numkeys);
        lua.pCall(2, 0);
    }

    /** Pushes a Lua array of {@code n} strings taken from {@code argv[from..]}. */
    void pushArray(byte[][] argv, int from, int n) {
        lua.createTable(n, 0);
        for (int i = 0; i < n; i++) {
            byte[] a = argv[from + i];
            pushBytes(lua, a, 0, a.length);
            lua.rawSetI(-2, i + 1);
        }
    }

    /**
     * Runs the function below the {@code nargs} values on top of the stack (at most 2) through the error-catching
     * runner; leaves {@code ok} (boolean) and the result or error table on the stack.
     */
    void runPrepared(int nargs) {
        // stack: f, a1..an  ->  run, f, a1..an
        lua.refGet(runRef);
        lua.insert(-(nargs + 2));
        lua.pCall(nargs + 1, 2);
    }

    /** Pushes {@code b[off..off+len)} as a Lua string, byte for byte. */
    void pushBytes(Lua l, byte[] b, int off, int len) {
        boolean plain = true;
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] <= 0) {
                plain = false;
                break;
            }
        }
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        if (plain) {
            l.push(s);
        } else {
            l.refGet(unjavaRef);
            l.push(s);
            l.pCall(1, 1);
        }
    }

    /**
     * The bytes of the string (or number, as Lua formats it) at {@code index}: copied out of a buffer that views
     * Lua's own string memory (no native allocation), while the value is on the stack.
     */
    static byte[] toBytes(Lua l, int index) {
        ByteBuffer b = l.toDirectBuffer(index);
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** "user_script:N: " for the script that called the running Java function (luaL_where(L, 1)). */
    String where(Lua l) {
        l.refGet(whereRef);
        l.pCall(0, 1);
        String w = l.toString(-1);
        l.pop(1);
        return w;
    }

    Scripting scripting() {
        return scripting;
    }

    @Override
    public void close() {
        lua.close();
    }
}
