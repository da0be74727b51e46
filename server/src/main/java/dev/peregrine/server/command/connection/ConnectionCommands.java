package dev.peregrine.server.command.connection;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;

import java.nio.charset.StandardCharsets;

/** Connection commands (Redis's networking.c and server.c connection handlers). Executor-only. */
public final class ConnectionCommands {
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String AUTH_WITHOUT_PASSWORD = "ERR AUTH <password> called without any password configured for "
            + "the default user. Are you sure your configuration is correct?";
    static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";

    private ConnectionCommands() {
    }

    public static void register(CommandTable t) {
        t.register("ping", ConnectionCommands::ping);
        t.register("echo", ConnectionCommands::echo);
        t.register("select", ConnectionCommands::select);
        t.register("quit", ConnectionCommands::quit);
        t.register("auth", ConnectionCommands::auth);
        t.register("hello", ConnectionCommands::hello);
        t.register("reset", ConnectionCommands::reset);
        ClientCommands.register(t);
    }

    /** PING [message]: {@code +PONG}, or the message as a bulk string (the same in RESP2 and RESP3). */
    static void ping(CommandContext c) {
        if (c.argc() > 2) {
            throw c.wrongArity();
        }
        ReplyWriter r = c.reply();
        if (c.client().pubsub() && c.client().protocol() == 2) {
            // a RESP2 subscriber gets a two-element array it can tell from messages: [pong, message or ""]
            r.arrayHeader(2);
            r.bulk("pong");
            if (c.argc() == 1) {
                r.emptyBulk();
            } else {
                r.bulk(c.arg(1));
            }
        } else if (c.argc() == 1) {
            r.pong();
        } else {
            r.bulk(c.arg(1));
        }
    }

    static void echo(CommandContext c) {
        c.reply().bulk(c.arg(1));
    }

    static void select(CommandContext c) {
        long db = c.longArg(1, "ERR value is not an integer or out of range");
        if (db < 0 || db >= c.engine().databaseCount()) {
            throw new CommandError(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        c.client().dbIndex((int) db);
        c.reply().ok();
    }

    /** QUIT: {@code +OK}, then the connection closes. */
    static void quit(CommandContext c) {
        c.reply().ok();
        c.client().closeAfterReply();
    }

    /**
     * AUTH [username] password. Only the {@code default} user exists for now: its password is {@code
     * requirepass}; with no requirepass it accepts any password given with the user name.
     */
    static void auth(CommandContext c) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (c.argc() == 2 && c.engine().requirePass() == null) {
            throw new CommandError(AUTH_WITHOUT_PASSWORD);
        }
        String user = c.argc() == 3 ? c.argString(1) : "default";
        byte[] pass = c.arg(c.argc() - 1);
        if (!authenticate(c, user, pass)) {
            throw new CommandError(WRONGPASS);
        }
        c.reply().ok();
    }

    /** Checks the credentials and, when right, marks the client authenticated as {@code user}. */
    private static boolean authenticate(CommandContext c, String user, byte[] pass) {
        if (!"default".equals(user)) {
            return false;
        }
        String required = c.engine().requirePass();
        if (required != null && !java.security.MessageDigest.isEqual(
                required.getBytes(StandardCharsets.UTF_8), pass)) {
            return false;
        }
        c.client().authenticated(true, user);
        return true;
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]]: switches protocol, answers a map. */
    static void hello(CommandContext c) {
        int proto = c.client().protocol();
        if (c.argc() >= 2) {
            long v = c.longArg(1, "ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            proto = (int) v;
        }
        String user = null;
        byte[] pass = null;
        byte[] name = null;
        for (int i = 2; i < c.argc(); i++) {
            int more = c.argc() - i - 1;
            if (c.argIs(i, "AUTH") && more >= 2) {
                user = c.argString(i + 1);
                pass = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "SETNAME") && more >= 1) {
                name = c.arg(i + 1);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + c.argString(i) + "'");
            }
        }
        Client client = c.client();
        if (user != null && !authenticate(c, user, pass)) {
            throw new CommandError(WRONGPASS);
        }
        if (c.engine().requirePass() != null && !client.authenticated()) {
            throw new CommandError(HELLO_NOAUTH);
        }
        if (name != null) {
            ClientCommands.checkName(name);
            client.name(name.length == 0 ? null : name);
        }
        client.protocol(proto);
        ReplyWriter r = c.reply();
        r.mapHeader(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(ServerInfo.REDIS_VERSION);
        r.bulk("proto");
        r.integer(proto);
        r.bulk("id");
        r.integer(client.id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk(c.engine().replication().isReplica() ? "replica" : "master");
        r.bulk("modules");
        r.emptyArray();
    }

    /**
     * RESET: back to a fresh connection's state: no transaction or watched keys, no subscriptions, no tracking,
     * RESP2, database
     * 0, no name, replies on, no-evict and no-touch off, unauthenticated when a password is required. Answers
     * {@code +RESET}.
     */
    static void reset(CommandContext c) {
        Client client = c.client();
        Engine engine = c.engine();
        engine.discardTransaction(client);
        engine.pubsub().unsubscribeAll(client);
        engine.tracking().disable(client);
        client.dbIndex(0);
        client.protocol(2);
        client.name(null);
        if (client.replyMode() != Client.ReplyMode.SKIP) {
            // as in Redis, a SKIP already applying to this very command still drops RESET's reply
            client.replyMode(Client.ReplyMode.ON);
        }
        client.noEvict(false);
        client.noTouch(false);
        client.authenticated(engine.requirePass() == null, "default");
        c.reply().simpleString("RESET");
    }
}
