package dev.peregrine.server.command.pubsub;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.exec.PubSub;

import java.util.List;

/**
 * PUBLISH, SPUBLISH, SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE and the PUBSUB
 * container. The registry and delivery live in {@link PubSub}. Executor-only.
 */
public final class PubSubCommands {
    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    List the channels with at least one subscriber, those matching <pattern> if given.",
        "NUMPAT",
        "    Count the distinct patterns clients subscribe to.",
        "NUMSUB [<channel> ...]",
        "    Count the subscribers of each given channel (pattern subscribers not included).",
        "SHARDCHANNELS [<pattern>]",
        "    List the shard channels with at least one subscriber, those matching <pattern> if given.",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Count the subscribers of each given shard channel.",
        "HELP",
        "    Print this help.",
    };

    private PubSubCommands() {
    }

    public static void register(CommandTable t) {
        t.register("publish", c -> c.reply().integer(
                c.engine().pubsub().publish(c.arg(1), c.arg(2), PubSub.Kind.CHANNEL)));
        t.register("spublish", c -> c.reply().integer(
                c.engine().pubsub().publish(c.arg(1), c.arg(2), PubSub.Kind.SHARD)));
        t.register("subscribe", c -> c.engine().pubsub().subscribe(c.client(), PubSub.Kind.CHANNEL, c.argv(), 1));
        t.register("psubscribe", c -> c.engine().pubsub().subscribe(c.client(), PubSub.Kind.PATTERN, c.argv(), 1));
        t.register("ssubscribe", PubSubCommands::ssubscribe);
        t.register("unsubscribe", c -> c.engine().pubsub().unsubscribe(c.client(), PubSub.Kind.CHANNEL,
                c.argv(), 1));
        t.register("punsubscribe", c -> c.engine().pubsub().unsubscribe(c.client(), PubSub.Kind.PATTERN,
                c.argv(), 1));
        t.register("sunsubscribe", c -> c.engine().pubsub().unsubscribe(c.client(), PubSub.Kind.SHARD,
                c.argv(), 1));
        t.register("pubsub|channels", c -> channels(c, false));
        t.register("pubsub|shardchannels", c -> channels(c, true));
        t.register("pubsub|numsub", c -> numsub(c, false));
        t.register("pubsub|shardnumsub", c -> numsub(c, true));
        t.register("pubsub|numpat", c -> c.reply().integer(c.engine().pubsub().patternCount()));
        t.register("pubsub|help", PubSubCommands::help);
    }

    /**
     * SSUBSCRIBE: as SUBSCRIBE for shard channels, but refused inside EXEC (Redis keeps the MULTI exception for
     * the older SUBSCRIBE and PSUBSCRIBE only).
     */
    static void ssubscribe(CommandContext c) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
        }
        c.engine().pubsub().subscribe(c.client(), PubSub.Kind.SHARD, c.argv(), 1);
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: an array of channel names. */
    static void channels(CommandContext c, boolean shard) {
        if (c.argc() > 3) {
            throw syntax(c);
        }
        List<byte[]> names = c.engine().pubsub().channels(c.argc() == 3 ? c.arg(2) : null, shard);
        ReplyWriter r = c.reply();
        r.arrayHeader(names.size());
        for (byte[] n : names) {
            r.bulk(n);
        }
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a flat array of channel, count pairs (an array in RESP3 too). */
    static void numsub(CommandContext c, boolean shard) {
        ReplyWriter r = c.reply();
        r.arrayHeader((c.argc() - 2) * 2);
        for (int i = 2; i < c.argc(); i++) {
            r.bulk(c.arg(i));
            r.integer(c.engine().pubsub().subscriberCount(c.arg(i), shard));
        }
    }

    private static CommandError syntax(CommandContext c) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1)
                + "'. Try " + c.argString(0).toUpperCase(java.util.Locale.ROOT) + " HELP.");
    }

    static void help(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(HELP.length);
        for (String line : HELP) {
            r.simpleString(line);
        }
    }
}
