/**
 * Nova's proxy APIs (removed in 2.36): security groups and their rules, networks and tenant
 * networks through Networking, volumes and snapshots through Block Storage. Each class calls the
 * other service's public operations, as Nova calls Neutron and Cinder, and turns their refusals
 * into the ones Nova answers with; this room owns no tables.
 */
package dev.kiln.compute.proxy;
