/** The keyspace command family: commands that work on keys whatever their type (DEL, EXPIRE, SCAN, OBJECT, DUMP, RESTORE...). */
package dev.peregrine.server.command.keys;
