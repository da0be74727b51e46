package dev.peregrine.server.script;

import dev.peregrine.persistence.rdb.DumpPayload;
import dev.peregrine.persistence.rdb.RdbStreamOutput;
import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import party.iroiro.luajava.Lua;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Function libraries (FUNCTION LOAD/DELETE/LIST/FLUSH/DUMP/RESTORE, FCALL): each library is Lua source starting
 * with {@code #!lua name=<lib>} that registers functions with {@code redis.register_function} when loaded; the
 * functions run in their own Lua runtime, separate from EVAL's. Executor-only.
 */
public final class Functions {
    private final Scripting scripting;
    private LuaRuntime lua;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    /** Functions registered by the library being loaded, or null outside FUNCTION LOAD. */
    private List<Function> staging;

    /** A loaded library: its name and source. */
    record Library(String name, byte[] code, List<Function> functions) {
    }

    /** A registered function: its callback is a Lua registry reference. */
    record Function(String name, String library, int ref, int flags, byte[] description) {
    }

    Functions(Scripting scripting) {
        this.scripting = scripting;
    }

    LuaRuntime lua() {
        if (lua == null) {
            lua = new LuaRuntime(scripting, scripting.host(true));
        }
        return lua;
    }

    /** The libraries' source code, in load order (RDB FUNCTION2 records, FUNCTION DUMP). */
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (Library lib : libraries.values()) {
            out.add(lib.code());
        }
        return out;
    }

    /** The function named {@code name}, or null. */
    Function function(String name) {
        return functions.get(name);
    }

    public int libraryCount() {
        return libraries.size();
    }

    public int functionCount() {
        return functions.size();
    }

    // ---------------------------------------------------------------- loading

    private static boolean validName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * Loads a library (FUNCTION LOAD, FUNCTION RESTORE, RDB loading); with {@code replace} an existing library
     * of the same name is replaced. Errors as Redis 7.2, as {@link CommandError}.
     *
     * @return the library name
     */
    public String load(byte[] code, boolean replace) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new CommandError("ERR Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        String[] parts = new String(code, 2, end - 2, StandardCharsets.ISO_8859_1).split(" ");
        if (!parts[0].equals("lua")) {
            throw new CommandError("ERR Engine '" + parts[0] + "' not found");
        }
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (!parts[i].startsWith("name=")) {
                throw new CommandError("ERR Invalid metadata value given: " + parts[i]);
            }
            name = parts[i].substring(5);
        }
        if (name == null) {
            throw new CommandError("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new CommandError("ERR Library names can only contain letters, numbers, or underscores(_) and must "
                    + "be at least one character long");
        }
        Library old = libraries.get(name);
        if (old != null && !replace) {
            throw new CommandError("ERR Library '" + name + "' already exists");
        }
        byte[] body = code.clone();
        body[0] = '-';
        body[1] = '-';
        LuaRuntime rt = lua();
        Lua l = rt.lua;
        int top = l.getTop();
        String error = rt.compileLibrary(body, "@user_function");
        if (error != null) {
            throw new CommandError("ERR Error compiling function: " + error);
        }
        List<Function> registered = new ArrayList<>();
        staging = registered;
        scripting.loading(true);
        try {
            rt.runPrepared(0);
            if (!l.toBoolean(-2)) {
                String msg = "ERR unknown error";
                if (l.isTable(-1)) {
                    l.getField(-1, "err");
                    if (l.isString(-1)) {
                        msg = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
                    }
                    l.pop(1);
                }
                unref(registered);
                throw new CommandError("ERR Error registering functions: " + msg);
            }
            // the library's functions now see the normal script globals
            l.pop(2);
            l.pCall(0, 0);
        } finally {
            scripting.loading(false);
            staging = null;
            l.setTop(top);
        }
        if (registered.isEmpty()) {
            throw new CommandError("ERR No functions registered");
        }
        for (Function f : registered) {
            Function existing = functions.get(f.name());
            if (existing != null && !existing.library().equals(name)) {
                unref(registered);
                throw new CommandError("ERR Function " + f.name() + " already exists");
            }
        }
        if (old != null) {
            remove(old);
        }
        List<Function> owned = new ArrayList<>();
        for (Function f : registered) {
            owned.add(new Function(f.name(), name, f.ref(), f.flags(), f.description()));
        }
        registered = owned;
        Library lib = new Library(name, code, registered);
        libraries.put(name, lib);
        for (Function f : registered) {
            functions.put(f.name(), f);
        }
        return name;
    }

    private void unref(List<Function> fs) {
        for (Function f : fs) {
            lua.lua.unref(f.ref());
        }
    }

    private void remove(Library lib) {
        libraries.remove(lib.name());
        for (Function f : lib.functions()) {
            functions.remove(f.name());
        }
        unref(lib.functions());
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=, callback=, ...}. */
    int register(Lua l) {
        if (staging == null) {
            Scripting.pushError(l, "ERR redis.register_function can only be called on FUNCTION LOAD command");
            return 1;
        }
        String error = registerArgs(l);
        if (error != null) {
            Scripting.pushError(l, error);
            return 1;
        }
        return 0;
    }

    private String registerArgs(Lua l) {
        int n = l.getTop();
        String name;
        int callback;
        int flags = 0;
        byte[] description = null;
        if (n == 1 && l.isTable(1)) {
            name = null;
            callback = 0;
            l.pushNil();
            while (l.next(1) != 0) {
                if (!l.isString(-2)) {
                    l.pop(2);
                    return "ERR named argument key given to redis.register_function is not a string";
                }
                String key = l.toString(-2);
                switch (key) {
                    case "function_name" -> {
                        if (!l.isString(-1)) {
                            l.pop(2);
                            return "ERR function_name argument given to redis.register_function must be a string";
                        }
                        name = new String(LuaRuntime.toBytes(l, -1), StandardCharsets.ISO_8859_1);
                    }
                    case "callback" -> {
                        if (!l.isFunction(-1)) {
                            l.pop(2);
                            return "ERR callback argument given to redis.register_function must be a function";
                        }
                        l.pushValue(-1);
                        callback = l.ref();
                    }
                    case "description" -> {
                        if (!l.isString(-1)) {
                            l.pop(2);
                            return "ERR description argument given to redis.register_function must be a string";
                        }
                        description = LuaRuntime.toBytes(l, -1);
                    }
                    case "flags" -> {
                        if (!l.isTable(-1)) {
                            l.pop(2);
                            return "ERR flags argument to redis.register_function must be a table representing "
                                    + "function flags";
                        }
                        int k = 1;
                        while (true) {
                            l.rawGetI(-1, k++);
                            if (l.isNil(-1)) {
                                l.pop(1);
                                break;
                            }
                            String f = l.isString(-1) ? l.toString(-1) : "";
                            l.pop(1);
                            try {
                                flags |= Scripting.flag(f, "");
                            } catch (CommandError e) {
                                l.pop(2);
                                return "ERR unknown flag given";
                            }
                        }
                    }
                    default -> {
                        l.pop(2);
                        return "ERR unknown argument given to redis.register_function";
                    }
                }
                l.pop(1);
            }
            if (name == null) {
                return "ERR redis.register_function must get a function name argument";
            }
            if (callback == 0) {
                return "ERR redis.register_function must get a callback argument";
            }
        } else {
            if (n == 1) {
                return "ERR calling redis.register_function with a single argument is only applicable to Lua table "
                        + "(representing named arguments).";
            }
            if (n != 2) {
                return "ERR wrong number of arguments to redis.register_function";
            }
            if (!l.isString(1)) {
                return "ERR first argument to redis.register_function must be a string";
            }
            if (!l.isFunction(2)) {
                return "ERR second argument to redis.register_function must be a function";
            }
            name = new String(LuaRuntime.toBytes(l, 1), StandardCharsets.ISO_8859_1);
            l.pushValue(2);
            callback = l.ref();
        }
        if (!validName(name)) {
            l.unref(callback);
            return "ERR Function names can only contain letters, numbers, or underscores(_) and must be at least "
                    + "one character long";
        }
        for (Function f : staging) {
            if (f.name().equals(name)) {
                l.unref(callback);
                return "ERR Function already exists in the library";
            }
        }
        staging.add(new Function(name, null, callback, flags, description));
        return null;
    }

    // ---------------------------------------------------------------- commands

    /** FCALL / FCALL_RO. */
    void fcall(CommandContext c, boolean readOnlyCommand) {
        String name = c.argString(1);
        Function f = functions.get(name);
        int numkeys = Scripting.numKeys(c);
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        Scripting.checkRunnable(f.flags(), readOnlyCommand);
        LuaRuntime rt = lua;
        rt.lua.refGet(f.ref());
        rt.pushArray(c.argv(), 3, numkeys);
        rt.pushArray(c.argv(), 3 + numkeys, c.argc() - 3 - numkeys);
        boolean readOnly = readOnlyCommand || (f.flags() & Scripting.FLAG_NO_WRITES) != 0;
        scripting.execute(c, rt, new Scripting.Run(c, name, true, f.flags(), readOnly), 2);
    }

    void delete(String name) {
        Library lib = libraries.get(name);
        if (lib == null) {
            throw new CommandError("ERR Library not found");
        }
        remove(lib);
    }

    /** FUNCTION FLUSH: every library goes, with a fresh interpreter. */
    public void flush() {
        libraries.clear();
        functions.clear();
        if (lua != null) {
            lua.close();
            lua = null;
        }
    }

    void list(CommandContext c, String pattern, boolean withCode) {
        List<Library> libs = new ArrayList<>();
        for (Library lib : libraries.values()) {
            if (pattern == null || dev.peregrine.storage.GlobMatcher.matches(
                    pattern.getBytes(StandardCharsets.ISO_8859_1), lib.name().getBytes(StandardCharsets.ISO_8859_1),
                    false)) {
                libs.add(lib);
            }
        }
        ReplyWriter r = c.reply();
        r.arrayHeader(libs.size());
        for (Library lib : libs) {
            r.mapHeader(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name());
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.arrayHeader(lib.functions().size());
            for (Function f : lib.functions()) {
                r.mapHeader(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                if (f.description() == null) {
                    r.nullBulk();
                } else {
                    r.bulk(f.description());
                }
                r.bulk("flags");
                List<String> names = flagNames(f.flags());
                r.setHeader(names.size());
                for (String s : names) {
                    r.simpleString(s);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code());
            }
        }
    }

    private static List<String> flagNames(int flags) {
        List<String> out = new ArrayList<>();
        if ((flags & Scripting.FLAG_NO_WRITES) != 0) {
            out.add("no-writes");
        }
        if ((flags & Scripting.FLAG_ALLOW_OOM) != 0) {
            out.add("allow-oom");
        }
        if ((flags & Scripting.FLAG_ALLOW_STALE) != 0) {
            out.add("allow-stale");
        }
        if ((flags & Scripting.FLAG_NO_CLUSTER) != 0) {
            out.add("no-cluster");
        }
        if ((flags & Scripting.FLAG_ALLOW_CROSS_SLOT) != 0) {
            out.add("allow-cross-slot-keys");
        }
        return out;
    }

    /** FUNCTION DUMP's payload: a FUNCTION2 record per library, the RDB version and a CRC-64. */
    byte[] dump() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            RdbStreamOutput out = new RdbStreamOutput(bytes,
                    scripting.engine().config().boolValue("rdbcompression"), 1024);
            for (Library lib : libraries.values()) {
                out.writeByte(0xF5);
                out.writeString(lib.code());
            }
            out.writeByte(DumpPayload.WRITE_VERSION);
            out.writeByte(DumpPayload.WRITE_VERSION >>> 8);
            out.writeLongLE(out.checksum());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** FUNCTION RESTORE with policy FLUSH, APPEND or REPLACE. */
    void restore(byte[] payload, String policy) {
        if (!DumpPayload.verify(payload)) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes;
        try {
            codes = DumpPayload.functions(payload);
        } catch (dev.peregrine.persistence.rdb.RdbFormatException e) {
            throw new CommandError(e.getMessage().contains("not a function") ? "ERR given type is not a function"
                    : "ERR DUMP payload version or checksum are wrong");
        }
        // load into a scratch copy of the state so a failure changes nothing
        Map<String, Library> oldLibs = new LinkedHashMap<>(libraries);
        if (policy.equals("append")) {
            for (byte[] code : codes) {
                String name = peekName(code);
                if (name != null && libraries.containsKey(name)) {
                    throw new CommandError("ERR Library " + name + " already exists");
                }
            }
        }
        if (policy.equals("flush")) {
            flush();
        }
        List<String> loaded = new ArrayList<>();
        try {
            for (byte[] code : codes) {
                loaded.add(load(code, policy.equals("replace")));
            }
        } catch (CommandError e) {
            // undo what this restore loaded, put back what it flushed
            for (String name : loaded) {
                Library lib = libraries.get(name);
                if (lib != null) {
                    remove(lib);
                }
            }
            if (policy.equals("flush")) {
                for (Library lib : oldLibs.values()) {
                    load(lib.code(), true);
                }
            }
            throw e;
        }
    }

    private static String peekName(byte[] code) {
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        for (String p : new String(code, 0, end, StandardCharsets.ISO_8859_1).split(" ")) {
            if (p.startsWith("name=")) {
                return p.substring(5);
            }
        }
        return null;
    }

    void stats(CommandContext c) {
        Scripting.Run run = scripting.running();
        if (run != null && !run.function) {
            throw new CommandError(scripting.busyError());
        }
        ReplyWriter r = c.reply();
        r.mapHeader(2);
        r.bulk("running_script");
        if (run == null) {
            r.nullBulk();
        } else {
            r.mapHeader(3);
            r.bulk("name");
            r.bulk(run.name);
            r.bulk("command");
            r.arrayHeader(run.argv.length);
            for (byte[] a : run.argv) {
                r.bulk(a);
            }
            r.bulk("duration_ms");
            r.integer(System.currentTimeMillis() - run.started);
        }
        r.bulk("engines");
        r.mapHeader(1);
        r.bulk("LUA");
        r.mapHeader(2);
        r.bulk("libraries_count");
        r.integer(libraries.size());
        r.bulk("functions_count");
        r.integer(functions.size());
    }
}
