/**
 * Servers themselves: create (scheduling, ports, block devices from images, snapshots and
 * volumes), the build and delete tasks, list and show, the server record and its states, the
 * checks every operation on a server makes, instance actions, and migration records, which a
 * delete ends.
 */
package dev.kiln.compute.servers;
