package dev.peregrine.server.script;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT (LOAD EXISTS FLUSH KILL HELP), FCALL, FCALL_RO and FUNCTION (LOAD
 * DELETE LIST FLUSH DUMP RESTORE STATS KILL HELP). Arguments are adapted here; {@link Scripting} and
 * {@link Functions} do the work. Executor-only.
 */
public final class ScriptCommands {
    private ScriptCommands() {
    }

    public static void register(CommandTable t) {
        t.register("eval", c -> scripting(c).eval(c, false, false));
        t.register("evalsha", c -> scripting(c).eval(c, true, false));
        t.register("eval_ro", c -> scripting(c).eval(c, false, true));
        t.register("evalsha_ro", c -> scripting(c).eval(c, true, true));
        t.register("script|load", ScriptCommands::scriptLoad);
        t.register("script|exists", ScriptCommands::scriptExists);
        t.register("script|flush", ScriptCommands::scriptFlush);
        t.register("script|kill", c -> {
            scripting(c).kill(false);
            c.reply().ok();
        });
        t.register("script|help", c -> help(c, "SCRIPT", SCRIPT_HELP));
        t.register("script|debug", ScriptCommands::scriptDebug);
        t.register("fcall", c -> scripting(c).functions().fcall(c, false));
        t.register("fcall_ro", c -> scripting(c).functions().fcall(c, true));
        t.register("function|load", ScriptCommands::functionLoad);
        t.register("function|delete", c -> {
            scripting(c).functions().delete(c.argString(2));
            c.forcePropagation();
            c.reply().ok();
        });
        t.register("function|list", ScriptCommands::functionList);
        t.register("function|flush", c -> {
            flushMode(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            scripting(c).functions().flush();
            c.forcePropagation();
            c.reply().ok();
        });
        t.register("function|dump", c -> c.reply().bulk(scripting(c).functions().dump()));
        t.register("function|restore", ScriptCommands::functionRestore);
        t.register("function|stats", c -> scripting(c).functions().stats(c));
        t.register("function|kill", c -> {
            scripting(c).kill(true);
            c.reply().ok();
        });
        t.register("function|help", c -> help(c, "FUNCTION", FUNCTION_HELP));
    }

    private static Scripting scripting(CommandContext c) {
        return c.engine().scripting();
    }

    static void scriptLoad(CommandContext c) {
        // not propagated: scripts replicate their effects (Redis 7)
        c.reply().bulk(scripting(c).load(c.arg(2)));
    }

    /** SCRIPT DEBUG: NO is accepted; the Lua debugger (YES, SYNC) is not available here. */
    static void scriptDebug(CommandContext c) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR SCRIPT DEBUG must be called outside MULTI");
        }
        if (c.argIs(2, "no")) {
            c.reply().ok();
        } else if (c.argIs(2, "yes") || c.argIs(2, "sync")) {
            throw new CommandError("ERR SCRIPT DEBUG YES/SYNC is not supported by this server");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    static void scriptExists(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            r.integer(scripting(c).scriptExists(c.argString(i)) ? 1 : 0);
        }
    }

    static void scriptFlush(CommandContext c) {
        flushMode(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        scripting(c).flushScripts();
        c.reply().ok();
    }

    private static void flushMode(CommandContext c, String error) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async"))) {
            throw new CommandError(error);
        }
    }

    static void functionLoad(CommandContext c) {
        boolean replace = false;
        int i = 2;
        for (; i < c.argc() - 1; i++) {
            if (c.argIs(i, "replace")) {
                replace = true;
            } else {
                throw new CommandError("ERR Unknown option given: " + c.argString(i));
            }
        }
        if (i >= c.argc()) {
            throw new CommandError("ERR Function code is missing");
        }
        String name = scripting(c).functions().load(c.arg(i), replace);
        c.forcePropagation();
        c.reply().bulk(name);
    }

    static void functionList(CommandContext c) {
        String pattern = null;
        boolean withCode = false;
        for (int i = 2; i < c.argc(); i++) {
            if (c.argIs(i, "withcode")) {
                if (withCode) {
                    throw new CommandError("ERR Unknown argument withcode");
                }
                withCode = true;
            } else if (c.argIs(i, "libraryname")) {
                if (pattern != null) {
                    throw new CommandError("ERR library name argument was already given");
                }
                if (i + 1 >= c.argc()) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = c.argString(++i);
            } else {
                throw new CommandError("ERR Unknown argument " + c.argString(i));
            }
        }
        scripting(c).functions().list(c, pattern, withCode);
    }

    static void functionRestore(CommandContext c) {
        String policy = "append";
        if (c.argc() > 4) {
            throw new CommandError("ERR Wrong number of arguments, expected FUNCTION RESTORE <payload> "
                    + "[FLUSH|APPEND|REPLACE]");
        }
        if (c.argc() == 4) {
            policy = c.argLower(3);
            if (!policy.equals("flush") && !policy.equals("append") && !policy.equals("replace")) {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or "
                        + "REPLACE.");
            }
        }
        scripting(c).functions().restore(c.arg(2), policy);
        c.forcePropagation();
        c.reply().ok();
    }

    private static final String[] SCRIPT_HELP = {
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    };

    private static final String[] FUNCTION_HELP = {
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    };

    private static void help(CommandContext c, String name, String[] lines) {
        ReplyWriter r = c.reply();
        r.arrayHeader(lines.length);
        for (String l : lines) {
            r.simpleString(l);
        }
    }
}
