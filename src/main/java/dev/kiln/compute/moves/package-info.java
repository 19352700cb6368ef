/**
 * Moving a server between hosts: resize and cold migration (the move task with its confirm and
 * revert), live migration, and the port-bindings dance with Networking that both need.
 */
package dev.kiln.compute.moves;
