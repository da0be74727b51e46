/** The string command family: GET, SET and its variants, counters, ranges and LCS over packed string entries. */
package dev.peregrine.server.command.string;
