package dev.peregrine.server.command.connection;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.PubSub;
import dev.peregrine.server.exec.Tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The CLIENT container's subcommands (Redis's networking.c clientCommand). Executor-only. */
final class ClientCommands {
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
    /** Client types as CLIENT LIST / CLIENT KILL TYPE name them. */
    private static final int TYPE_NORMAL = 0;
    private static final int TYPE_REPLICA = 1;
    private static final int TYPE_PUBSUB = 2;
    private static final int TYPE_MASTER = 3;

    private static final String[] HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Answer the name of this connection, or null.",
        "ID",
        "    Answer the numeric id of this connection.",
        "INFO",
        "    Answer one CLIENT LIST line describing this connection.",
        "KILL <ip:port>",
        "    Close the connection coming from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Close every connection matching all the given filters:",
        "    * ID <client-id>",
        "      The connection with this id.",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Connections coming from this address.",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Connections made to this local address.",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Connections of this type.",
        "    * USER <username>",
        "      Connections authenticated as this user.",
        "    * SKIPME (YES|NO)",
        "      Whether to spare the calling connection (default: YES).",
        "    * MAXAGE <seconds>",
        "      Connections older than this many seconds.",
        "LIST [options ...]",
        "    Answer one line per connection. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Only connections of this type.",
        "    * ID <client-id> [<client-id> ...]",
        "      Only connections with these ids.",
        "UNPAUSE",
        "    End a CLIENT PAUSE now.",
        "UNBLOCK <client-id> [TIMEOUT|ERROR]",
        "    Wake a client blocked by a blocking command, answering it as on a timeout (default) or with an error.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Hold the commands of clients (all of them, or only writes) for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Turn replies to this connection on or off, or drop the reply of the next command.",
        "SETNAME <name>",
        "    Name this connection <name>.",
        "SETINFO <option> <value>",
        "    Record client library facts of this connection. Options:",
        "    * LIB-NAME <name>",
        "      The library name.",
        "    * LIB-VER <version>",
        "      The library version.",
        "NO-EVICT (ON|OFF)",
        "    Exempt this connection from client eviction, or not.",
        "NO-TOUCH (ON|OFF)",
        "    When on, this connection's commands leave the access time of keys unchanged.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]] [OPTIN] [OPTOUT] [NOLOOP]",
        "    Turn client-side caching support on or off. Options:",
        "    * REDIRECT <id>",
        "      Send invalidation messages to the connection with this id instead.",
        "    * BCAST",
        "      Hear of every change to keys under the prefixes, read or not.",
        "    * PREFIX <prefix>",
        "      A key prefix for BCAST mode; several may be given.",
        "    * OPTIN",
        "      Track only the keys read right after CLIENT CACHING YES.",
        "    * OPTOUT",
        "      Track every key read except right after CLIENT CACHING NO.",
        "    * NOLOOP",
        "      Skip invalidations of keys this connection changed itself.",
        "CACHING (YES|NO)",
        "    Say whether the next command's keys are tracked (OPTIN or OPTOUT tracking).",
        "GETREDIR",
        "    Answer the id of the connection receiving this one's invalidations, 0 or -1 when none.",
        "TRACKINGINFO",
        "    Answer this connection's tracking flags, redirection and prefixes.",
        "HELP",
        "    Print this help.",
    };

    private ClientCommands() {
    }

    static void register(CommandTable t) {
        t.register("client|id", c -> c.reply().integer(c.client().id()));
        t.register("client|setname", ClientCommands::setName);
        t.register("client|getname", ClientCommands::getName);
        t.register("client|list", ClientCommands::list);
        t.register("client|info", ClientCommands::info);
        t.register("client|kill", ClientCommands::kill);
        t.register("client|pause", ClientCommands::pause);
        t.register("client|unpause", ClientCommands::unpause);
        t.register("client|unblock", ClientCommands::unblock);
        t.register("client|reply", ClientCommands::reply);
        t.register("client|no-evict", ClientCommands::noEvict);
        t.register("client|no-touch", ClientCommands::noTouch);
        t.register("client|setinfo", ClientCommands::setInfo);
        t.register("client|tracking", ClientCommands::tracking);
        t.register("client|caching", ClientCommands::caching);
        t.register("client|getredir", c -> c.reply().integer(Tracking.redirect(c.client())));
        t.register("client|trackinginfo", c -> Tracking.writeInfo(c.client(), c.reply()));
        t.register("client|help", ClientCommands::help);
    }

    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]: options are
     * parsed first (syntax errors, a second REDIRECT, an unknown redirection id), then the mode checks of
     * {@link Tracking#enable} apply. OFF ignores the options once they parse.
     */
    static void tracking(CommandContext c) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.argIs(j, "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = c.longArg(j);
                Client target = c.engine().clients().get(redirect);
                if (target == null || target.closing()) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.argIs(j, "bcast")) {
                bcast = true;
            } else if (c.argIs(j, "optin")) {
                optin = true;
            } else if (c.argIs(j, "optout")) {
                optout = true;
            } else if (c.argIs(j, "noloop")) {
                noloop = true;
            } else if (c.argIs(j, "prefix") && more) {
                j++;
                prefixes.add(c.arg(j));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (c.argIs(2, "on")) {
            String error = c.engine().tracking().enable(c.client(), redirect, bcast, optin, optout, noloop,
                    prefixes);
            if (error != null) {
                throw new CommandError(error);
            }
        } else if (c.argIs(2, "off")) {
            c.engine().tracking().disable(c.client());
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.reply().ok();
    }

    /** CLIENT CACHING YES|NO: applies to the next command of an OPTIN / OPTOUT tracking client. */
    static void caching(CommandContext c) {
        boolean yes;
        if (c.argIs(2, "yes")) {
            yes = true;
        } else if (c.argIs(2, "no")) {
            yes = false;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        String error = Tracking.caching(c.client(), yes);
        if (error != null) {
            throw new CommandError(error);
        }
        c.reply().ok();
    }

    /** Whether every byte is a printable ASCII character other than space ({@code '!'} to {@code '~'}). */
    static boolean validAttribute(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /** Throws the CLIENT SETNAME error when {@code name} holds a space, newline or other special character. */
    static void checkName(byte[] name) {
        if (!validAttribute(name)) {
            throw new CommandError(BAD_NAME);
        }
    }

    /** CLIENT SETNAME name: an empty name clears it. */
    static void setName(CommandContext c) {
        byte[] name = c.arg(2);
        checkName(name);
        c.client().name(name.length == 0 ? null : name);
        c.reply().ok();
    }

    static void getName(CommandContext c) {
        byte[] name = c.client().name();
        if (name == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(name);
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value: an empty value clears it. */
    static void setInfo(CommandContext c) {
        String attr = c.argString(2);
        boolean libName;
        if (c.argIs(2, "lib-name")) {
            libName = true;
        } else if (c.argIs(2, "lib-ver")) {
            libName = false;
        } else {
            throw new CommandError("ERR Unrecognized option '" + attr + "'");
        }
        byte[] v = c.arg(3);
        if (!validAttribute(v)) {
            throw new CommandError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        String value = v.length == 0 ? null : new String(v, StandardCharsets.ISO_8859_1);
        if (libName) {
            c.client().libName(value);
        } else {
            c.client().libVersion(value);
        }
        c.reply().ok();
    }

    /** CLIENT INFO: this connection's CLIENT LIST line, as a verbatim string. */
    static void info(CommandContext c) {
        StringBuilder sb = new StringBuilder(256);
        describe(sb, c.client(), c.now());
        c.reply().verbatim("txt", sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** CLIENT LIST [TYPE type] [ID id [id ...]]: one line per client, in connection order or the ids' order. */
    static void list(CommandContext c) {
        List<Client> chosen;
        if (c.argc() == 2) {
            chosen = sortedClients(c.engine());
        } else if (c.argc() == 4 && c.argIs(2, "type")) {
            int type = parseType(c.argString(3));
            chosen = new ArrayList<>();
            for (Client x : sortedClients(c.engine())) {
                if (typeOf(c.engine(), x) == type) {
                    chosen.add(x);
                }
            }
        } else if (c.argc() >= 4 && c.argIs(2, "id")) {
            chosen = new ArrayList<>();
            long[] ids = new long[c.argc() - 3];
            for (int i = 3; i < c.argc(); i++) {
                ids[i - 3] = c.longArg(i, "ERR Invalid client ID");
            }
            for (long id : ids) {
                Client x = c.engine().clients().get(id);
                Client master = c.engine().replication().masterLinkClient();
                if (x == null && master != null && master.id() == id) {
                    x = master;
                }
                if (x != null && !x.closing()) {
                    chosen.add(x);
                }
            }
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        StringBuilder sb = new StringBuilder(256 * chosen.size());
        Client master = c.engine().replication().masterLinkClient();
        for (Client x : chosen) {
            describe(sb, x, c.now(), x == master);
        }
        c.reply().verbatim("txt", sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<Client> sortedClients(Engine engine) {
        List<Client> all = new ArrayList<>(engine.clients().size());
        for (Client x : engine.clients().values()) {
            if (!x.closing()) {
                all.add(x);
            }
        }
        Client master = engine.replication().masterLinkClient();
        if (master != null) {
            all.add(master); // the link to our primary, as Redis lists its master client
        }
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        return all;
    }

    private static int parseType(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal":
                return TYPE_NORMAL;
            case "slave":
            case "replica":
                return TYPE_REPLICA;
            case "pubsub":
                return TYPE_PUBSUB;
            case "master":
                return TYPE_MASTER;
            default:
                throw new CommandError("ERR Unknown client type '" + name + "'");
        }
    }

    /** A replica connection, a Pub/Sub client while subscribed, else a normal one. */
    private static int typeOf(Engine engine, Client c) {
        if (c == engine.replication().masterLinkClient()) {
            return TYPE_MASTER;
        }
        if (engine.replication().isReplicaClient(c)) {
            return TYPE_REPLICA;
        }
        return c.pubsub() ? TYPE_PUBSUB : TYPE_NORMAL;
    }

    /**
     * Appends one CLIENT LIST line (Redis 7.2 field order) ending in a newline. Fields Peregrine does not track
     * (fd, buffers' memory, pub/sub counts) report -1 or 0.
     */
    static void describe(StringBuilder sb, Client c, long now) {
        describe(sb, c, now, false);
    }

    /** As {@link #describe(StringBuilder, Client, long)}; {@code master}: the link to our primary (flag M). */
    static void describe(StringBuilder sb, Client c, long now, boolean master) {
        sb.append("id=").append(c.id())
          .append(" addr=").append(c.address())
          .append(" laddr=").append(c.localAddress())
          .append(" fd=-1")
          .append(" name=");
        if (c.name() != null) {
            sb.append(new String(c.name(), StandardCharsets.ISO_8859_1));
        }
        sb.append(" age=").append(Math.max(0, (now - c.createdAt()) / 1000))
          .append(" idle=").append(Math.max(0, (now - c.lastInteraction()) / 1000))
          .append(" flags=").append(master ? "M" : flags(c))
          .append(" db=").append(c.dbIndex())
          .append(" sub=").append(PubSub.channelCount(c))
          .append(" psub=").append(PubSub.patternCount(c))
          .append(" ssub=").append(PubSub.shardChannelCount(c))
          .append(" multi=").append(c.multi() == null ? -1 : c.multi().queued().size())
          .append(" qbuf=").append(c.queryBufferBytes())
          .append(" qbuf-free=0 argv-mem=0 multi-mem=").append(c.multi() == null ? 0 : c.multi().memory())
          .append(" rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0")
          .append(" events=r")
          .append(" cmd=").append(c.lastCommand())
          .append(" user=").append(c.user())
          .append(" redir=").append(Tracking.redirect(c))
          .append(" resp=").append(c.protocol())
          .append(" lib-name=").append(c.libName() == null ? "" : c.libName())
          .append(" lib-ver=").append(c.libVersion() == null ? "" : c.libVersion())
          .append('\n');
    }

    private static String flags(Client c) {
        StringBuilder f = new StringBuilder(4);
        if (c.replicaConnection()) {
            f.append('S');
        }
        if (c.pubsub()) {
            f.append('P');
        }
        if (c.multi() != null) {
            f.append('x');
        }
        if (c.postponed()) {
            f.append('b');
        }
        if (Tracking.on(c)) {
            f.append('t');
        }
        if (Tracking.brokenRedirect(c)) {
            f.append('R');
        }
        if (Tracking.bcast(c)) {
            f.append('B');
        }
        if (c.dirtyCas()) {
            f.append('d');
        }
        if (c.closeAfterReplyPending()) {
            f.append('c');
        }
        if (c.noEvict()) {
            f.append('e');
        }
        if (c.noTouch()) {
            f.append('T');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    /**
     * CLIENT KILL ip:port (answers OK, or {@code ERR No such client}), or CLIENT KILL with filters ID, ADDR,
     * LADDR, TYPE, USER, SKIPME, MAXAGE (answers the number of clients killed). The caller's own connection
     * closes after this reply.
     */
    static void kill(CommandContext c) {
        long id = 0;
        int type = -1;
        String addr = null;
        String laddr = null;
        String user = null;
        boolean skipMe = true;
        long maxAge = 0;
        if (c.argc() == 3) {
            addr = c.argString(2);
            skipMe = false;
        } else if (c.argc() > 3) {
            for (int i = 2; i < c.argc(); i += 2) {
                boolean more = i + 1 < c.argc();
                if (c.argIs(i, "id") && more) {
                    id = c.longArg(i + 1, "ERR client-id should be greater than 0");
                    if (id < 1) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                } else if (c.argIs(i, "type") && more) {
                    type = parseType(c.argString(i + 1));
                } else if (c.argIs(i, "addr") && more) {
                    addr = c.argString(i + 1);
                } else if (c.argIs(i, "laddr") && more) {
                    laddr = c.argString(i + 1);
                } else if (c.argIs(i, "user") && more) {
                    user = c.argString(i + 1);
                    if (!"default".equals(user)) {
                        throw new CommandError("ERR No such user '" + user + "'");
                    }
                } else if (c.argIs(i, "skipme") && more) {
                    if (c.argIs(i + 1, "yes")) {
                        skipMe = true;
                    } else if (c.argIs(i + 1, "no")) {
                        skipMe = false;
                    } else {
                        throw new CommandError(Errors.SYNTAX);
                    }
                } else if (c.argIs(i, "maxage") && more) {
                    maxAge = c.longArg(i + 1, "ERR maxage is not an integer or out of range");
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        Client self = c.client();
        List<Client> victims = new ArrayList<>();
        for (Client x : sortedClients(c.engine())) {
            if ((id != 0 && x.id() != id)
                    || (type != -1 && typeOf(c.engine(), x) != type)
                    || (addr != null && !addr.equals(x.address()))
                    || (laddr != null && !laddr.equals(x.localAddress()))
                    || (user != null && !user.equals(x.user()))
                    || (skipMe && x == self)
                    || (maxAge != 0 && (c.now() - x.createdAt()) / 1000 <= maxAge)) {
                continue;
            }
            victims.add(x);
        }
        int killed = victims.size();
        Client master = c.engine().replication().masterLinkClient();
        if (master == null && type == TYPE_MASTER && id == 0 && addr == null && laddr == null && user == null
                && c.engine().replication().killMasterLink()) {
            killed++; // the link to our primary, still syncing, has no client yet but is one to kill
        }
        for (Client x : victims) {
            if (x == master) {
                c.engine().replication().killMasterLink();
            } else if (x == self) {
                self.closeAfterReply();
            } else {
                c.engine().kill(x);
            }
        }
        if (c.argc() == 3) {
            if (victims.isEmpty()) {
                throw new CommandError("ERR No such client");
            }
            c.reply().ok();
        } else {
            c.reply().integer(killed);
        }
    }

    /** CLIENT PAUSE timeout-ms [WRITE|ALL]. */
    static void pause(CommandContext c) {
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        int type = Engine.PAUSE_ALL;
        if (c.argc() == 4) {
            if (c.argIs(3, "write")) {
                type = Engine.PAUSE_WRITE;
            } else if (!c.argIs(3, "all")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        } else if (c.argc() > 4) {
            throw new CommandError(Errors.SYNTAX);
        }
        long end = timeout > Long.MAX_VALUE - c.now() ? Long.MAX_VALUE : c.now() + timeout;
        c.engine().pause(type, end);
        c.reply().ok();
    }

    /**
     * CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when that client was blocked on keys and is now answered (as on
     * a timeout, or with {@code -UNBLOCKED client unblocked via CLIENT UNBLOCK}), else 0.
     */
    static void unblock(CommandContext c) {
        if (c.argc() > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1)
                    + "'. Try CLIENT HELP.");
        }
        boolean error = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "timeout")) {
                error = false;
            } else if (c.argIs(3, "error")) {
                error = true;
            } else {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = c.longArg(2);
        Client target = c.engine().clients().get(id);
        boolean done = target != null && c.engine().unblockClient(target,
                error ? "UNBLOCKED client unblocked via CLIENT UNBLOCK" : null);
        c.reply().integer(done ? 1 : 0);
    }

    static void unpause(CommandContext c) {
        c.engine().unpause();
        c.reply().ok();
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. The engine drops replies by mode after each command: OFF and SKIP answer nothing,
     * SKIP also drops the next command's reply (ignored while OFF), ON answers OK.
     */
    static void reply(CommandContext c) {
        Client client = c.client();
        if (c.argIs(2, "on")) {
            client.replyMode(Client.ReplyMode.ON);
            c.reply().ok();
        } else if (c.argIs(2, "off")) {
            client.replyMode(Client.ReplyMode.OFF);
        } else if (c.argIs(2, "skip")) {
            if (client.replyMode() != Client.ReplyMode.OFF) {
                client.replyMode(Client.ReplyMode.SKIP_NEXT);
            }
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
    }

    static void noEvict(CommandContext c) {
        c.client().noEvict(onOff(c));
        c.reply().ok();
    }

    static void noTouch(CommandContext c) {
        c.client().noTouch(onOff(c));
        c.reply().ok();
    }

    private static boolean onOff(CommandContext c) {
        if (c.argIs(2, "on")) {
            return true;
        }
        if (c.argIs(2, "off")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    static void help(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(HELP.length);
        for (String line : HELP) {
            r.simpleString(line);
        }
    }
}
