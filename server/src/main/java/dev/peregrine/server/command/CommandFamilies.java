package dev.peregrine.server.command;

import dev.peregrine.server.command.connection.ConnectionCommands;
import dev.peregrine.server.command.list.ListCommands;

/** The list of command families; each registers its handlers with the {@link CommandTable}. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void registerAll(CommandTable table) {
        ConnectionCommands.register(table);
        ListCommands.register(table);
    }
}
