package dev.peregrine.server.command;

import dev.peregrine.server.command.bitmap.BitmapCommands;
import dev.peregrine.server.command.connection.ConnectionCommands;
import dev.peregrine.server.command.keys.DumpCommands;
import dev.peregrine.server.command.geo.GeoCommands;
import dev.peregrine.server.command.hyperloglog.HyperLogLogCommands;
import dev.peregrine.server.command.keys.KeyCommands;
import dev.peregrine.server.command.string.StringCommands;
import dev.peregrine.server.command.debug.DebugCommands;
import dev.peregrine.server.command.server.CommandCommands;
import dev.peregrine.server.command.server.ServerCommands;
import dev.peregrine.server.command.server.ConfigCommands;
import dev.peregrine.server.command.server.InfoCommands;
import dev.peregrine.server.command.server.PersistenceCommands;
import dev.peregrine.server.command.list.BlockingListCommands;
import dev.peregrine.server.command.list.ListCommands;
import dev.peregrine.server.command.hash.HashCommands;
import dev.peregrine.server.command.set.SetCommands;
import dev.peregrine.server.command.sort.SortCommands;
import dev.peregrine.server.command.zset.ZSetCommands;
import dev.peregrine.server.command.transaction.TransactionCommands;
import dev.peregrine.server.command.pubsub.PubSubCommands;

/** The list of command families; each registers its handlers with the {@link CommandTable}. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void registerAll(CommandTable table) {
        ConnectionCommands.register(table);
        KeyCommands.register(table);
        StringCommands.register(table);
        CommandCommands.register(table);
        ServerCommands.register(table);
        DebugCommands.register(table);
        ConfigCommands.register(table);
        InfoCommands.register(table);
        ListCommands.register(table);
        BlockingListCommands.register(table);
        HashCommands.register(table);
        SetCommands.register(table);
        SortCommands.register(table);
        ZSetCommands.register(table);
        DumpCommands.register(table);
        PersistenceCommands.register(table);
        BitmapCommands.register(table);
        HyperLogLogCommands.register(table);
        GeoCommands.register(table);
        TransactionCommands.register(table);
        PubSubCommands.register(table);
        dev.peregrine.server.command.stream.StreamCommands.register(table);
        dev.peregrine.server.script.ScriptCommands.register(table);
        dev.peregrine.server.command.replication.ReplicationCommands.register(table);
    }
}
