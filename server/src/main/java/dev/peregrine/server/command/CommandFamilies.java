package dev.peregrine.server.command;

import dev.peregrine.server.command.connection.ConnectionCommands;
import dev.peregrine.server.command.hash.HashCommands;
import dev.peregrine.server.command.set.SetCommands;

/** The list of command families; each registers its handlers with the {@link CommandTable}. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void registerAll(CommandTable table) {
        ConnectionCommands.register(table);
        HashCommands.register(table);
        SetCommands.register(table);
    }
}
