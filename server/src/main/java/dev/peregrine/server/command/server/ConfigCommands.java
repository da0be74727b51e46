package dev.peregrine.server.command.server;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.Command;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.config.ConfigException;
import dev.peregrine.server.config.ConfigQuery;
import dev.peregrine.server.config.ConfigRewriter;
import dev.peregrine.server.config.Directive;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP (Redis's config.c command side). Executor-only. */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    public static void register(CommandTable t) {
        t.register("config|get", ConfigCommands::get);
        t.register("config|set", ConfigCommands::set);
        t.register("config|resetstat", ConfigCommands::resetstat);
        t.register("config|rewrite", ConfigCommands::rewrite);
        t.register("config|help", ConfigCommands::help);
    }

    /** CONFIG GET pattern [pattern ...]: a map of name to value; names as asked, or as declared for globs. */
    static void get(CommandContext c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            patterns.add(c.argString(i));
        }
        ServerConfig config = c.engine().config();
        Map<String, Directive<?>> matches = ConfigQuery.get(config, patterns);
        ReplyWriter r = c.reply();
        r.mapHeader(matches.size());
        for (Map.Entry<String, Directive<?>> e : matches.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(config.formatted(e.getValue()));
        }
    }

    /** CONFIG SET name value [name value ...]: all or none, with Redis's error texts. */
    static void set(CommandContext c) {
        if ((c.argc() & 1) != 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        ServerConfig config = c.engine().config();
        int pairs = (c.argc() - 2) / 2;
        List<Directive<?>> targets = new ArrayList<>(pairs);
        String failedName = null;
        String failure = null;
        for (int i = 0; i < pairs; i++) {
            String name = c.argString(2 + i * 2);
            Directive<?> d = config.directive(name);
            if (failure != null) {
                continue;
            }
            if (d == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (!d.mutable()) {
                failure = "can't set immutable config";
                failedName = name;
            } else if (d.isProtected() && !protectedAllowed(c)) {
                failure = "can't set protected config";
                failedName = name;
            } else if (targets.contains(d)) {
                failure = "duplicate parameter";
                failedName = name;
            }
            targets.add(d);
        }
        if (failure != null) {
            throw new CommandError(setFailed(failedName, failure));
        }
        Object[] saved = new Object[pairs];
        for (int i = 0; i < pairs; i++) {
            saved[i] = config.rawValue(targets.get(i));
        }
        for (int i = 0; i < pairs; i++) {
            Directive<?> d = targets.get(i);
            try {
                config.setFromCommand(d, c.argString(3 + i * 2));
            } catch (ConfigException e) {
                for (int k = i; k >= 0; k--) {
                    config.restore(targets.get(k), saved[k]);
                }
                throw new CommandError(setFailed(c.argLower(2 + i * 2), e.getMessage()));
            }
        }
        c.reply().ok();
    }

    private static String setFailed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /** {@code enable-protected-configs}: {@code yes}, or {@code local} for loopback connections. */
    private static boolean protectedAllowed(CommandContext c) {
        String mode = c.engine().config().stringValue("enable-protected-configs");
        if (mode.equals("yes")) {
            return true;
        }
        if (mode.equals("local")) {
            java.net.SocketAddress a = c.client().channel() == null ? null : c.client().channel().remoteAddress();
            return !(a instanceof InetSocketAddress)
                   || (((InetSocketAddress) a).getAddress() != null
                       && ((InetSocketAddress) a).getAddress().isLoopbackAddress());
        }
        return false;
    }

    /** CONFIG RESETSTAT: server statistics, per-command statistics and error statistics back to zero. */
    static void resetstat(CommandContext c) {
        resetStats(c.engine());
        c.reply().ok();
    }

    /** Resets what CONFIG RESETSTAT resets. */
    public static void resetStats(Engine engine) {
        engine.stats().reset();
        for (Command cmd : engine.commands().all()) {
            cmd.resetStats();
            for (Command sub : cmd.subcommands().values()) {
                sub.resetStats();
            }
        }
    }

    /** CONFIG REWRITE: the config file the server started from, rewritten with the running values. */
    static void rewrite(CommandContext c) {
        String file = c.engine().config().configFile();
        if (file == null || file.isEmpty()) {
            throw new CommandError("ERR The server is running without a config file");
        }
        try {
            ConfigRewriter.rewrite(c.engine().config(), Path.of(file));
        } catch (IOException e) {
            throw new CommandError("ERR Rewriting config file: " + reason(e));
        }
        c.reply().ok();
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        return String.valueOf(e.getMessage());
    }

    static void help(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(HELP.length);
        for (String line : HELP) {
            r.simpleString(line);
        }
    }
}
