package dev.kiln.identity;

/** A policy document Keystone keeps for other services: an opaque blob of a MIME type. */
public record Policy(String id, String type, String blob, String extra) {}
