/// The OpenAPI 3 description of what Vellum serves, at `/api/v1/openapi.json`. Written by hand
/// for this server (Rekor's own document is Swagger 2.0 and lists kinds we do not accept); a
/// test checks that it parses and names every route the router has.
enum OpenAPIDocument {
    /// The document for the log with `treeID` (its `treeID` parameters name that one value).
    static func json(treeID: Int64) -> String {
        template.replacingOccurrences(of: "\"TREE_ID\"", with: "\"\(treeID)\"")
    }

    static let template = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "Vellum",
    "version": "1.0.0",
    "description": "An append-only transparency log: the Rekor v1 REST API (hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2 and 0.0.1) and the C2SP tlog-tiles read API. Errors are JSON {code, message}; a missing entry is 404 without a body."
  },
  "paths": {
    "/api/v1/log": {
      "get": {
        "operationId": "getLogInfo",
        "summary": "Tree size, root hash and signed tree head (Rekor v1 checkpoint, one ECDSA signature) of the active tree",
        "responses": {
          "200": {"description": "LogInfo", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogInfo"}}}},
          "default": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/log/publicKey": {
      "get": {
        "operationId": "getPublicKey",
        "summary": "The log's ECDSA P-256 public key (SPKI PEM); SHA-256 of its DER is the logID",
        "parameters": [{"name": "treeID", "in": "query", "required": false, "schema": {"type": "string", "enum": ["TREE_ID"], "description": "The tree ID of the log (this server has one tree)"}}],
        "responses": {
          "200": {"description": "PEM public key", "content": {"application/x-pem-file": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/log/proof": {
      "get": {
        "operationId": "getLogProof",
        "summary": "RFC 6962 consistency proof between two tree sizes",
        "parameters": [
          {"name": "firstSize", "in": "query", "required": false, "schema": {"type": "integer", "format": "int64", "minimum": 1, "default": 1}},
          {"name": "lastSize", "in": "query", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}},
          {"name": "treeID", "in": "query", "required": false, "schema": {"type": "string", "enum": ["TREE_ID"], "description": "The tree ID of the log (this server has one tree)"}}
        ],
        "responses": {
          "200": {"description": "ConsistencyProof; rootHash is the root at lastSize", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsistencyProof"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/log/entries": {
      "post": {
        "operationId": "createLogEntry",
        "summary": "Log a hashedrekord 0.0.1, dsse 0.0.1 or intoto 0.0.2 / 0.0.1 entry; answers once the batch holding it is durable",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProposedEntry"}}}},
        "responses": {
          "201": {
            "description": "The new entry with its inclusion proof, checkpoint and SignedEntryTimestamp",
            "headers": {
              "ETag": {"description": "The 80-hex entry ID, unquoted", "schema": {"type": "string"}},
              "Location": {"description": "Path of the new entry", "schema": {"type": "string"}}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogEntry"}}}
          },
          "400": {"$ref": "#/components/responses/Error"},
          "409": {
            "description": "An equivalent entry is already logged",
            "headers": {"Location": {"description": "Path of the existing entry", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
          },
          "413": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"},
          "503": {
            "description": "The log is busy; retry after Retry-After seconds",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
          }
        }
      },
      "get": {
        "operationId": "getLogEntryByIndex",
        "summary": "The entry at a log index, with a proof against the latest checkpoint",
        "parameters": [{"name": "logIndex", "in": "query", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 0}}],
        "responses": {
          "200": {"description": "LogEntry", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogEntry"}}}},
          "404": {"description": "No entry at that index (empty body)"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/log/entries/{entryUUID}": {
      "get": {
        "operationId": "getLogEntryByUUID",
        "summary": "The entry with a UUID (64 hex leaf hash) or entry ID (80 hex: tree ID + leaf hash)",
        "parameters": [{"name": "entryUUID", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^([0-9a-fA-F]{64}|[0-7][0-9a-fA-F]{79})$"}}],
        "responses": {
          "200": {"description": "LogEntry", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogEntry"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"description": "No such entry (empty body)"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/log/entries/retrieve": {
      "post": {
        "operationId": "searchLogQuery",
        "summary": "Entries by UUID, by index, or by proposed entry (validated and canonicalized first); at most 10 in all",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchLogQuery"}}}},
        "responses": {
          "200": {"description": "Entries found ([] when none)", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/LogEntry"}}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/index/retrieve": {
      "post": {
        "operationId": "searchIndex",
        "summary": "Entry IDs by artifact digest, public key, email or certificate subject",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchIndex"}}}},
        "responses": {
          "200": {"description": "Entry IDs (80 hex)", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {"operationId": "getOpenAPI", "summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {}}}}}
    },
    "/checkpoint": {
      "get": {
        "operationId": "getCheckpoint",
        "summary": "The latest checkpoint as a C2SP signed note (Ed25519 signature line, then the ECDSA one)",
        "responses": {"200": {"description": "Signed note", "content": {"text/plain": {"schema": {"type": "string"}}}}}
      }
    },
    "/tile/{level}/{index}": {
      "get": {
        "operationId": "getTile",
        "summary": "A C2SP tlog-tiles hash tile; index in x-prefixed groups of three digits, optional .p/<width> for a partial tile",
        "parameters": [
          {"name": "level", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": 63}},
          {"name": "index", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}, "description": "Tile index below 1000; larger ones are x-prefixed groups (x001/234), which a path parameter cannot hold"}
        ],
        "responses": {
          "200": {"description": "Concatenated 32-byte hashes; full tiles are immutable", "content": {"application/octet-stream": {}}},
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/tile/entries/{index}": {
      "get": {
        "operationId": "getEntryBundle",
        "summary": "A C2SP entry bundle (big-endian uint16 length + canonical body, per entry)",
        "parameters": [{"name": "index", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}, "description": "Bundle index below 1000; larger ones are x-prefixed groups (x001/234)"}],
        "responses": {
          "200": {"description": "Entry bundle; full bundles are immutable", "content": {"application/octet-stream": {}}},
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/tile/{level}/{index}.p/{width}": {
      "get": {
        "operationId": "getPartialTile",
        "summary": "The first width hashes of a tile (the right edge of the tree)",
        "parameters": [
          {"name": "level", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": 63}},
          {"name": "index", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}},
          {"name": "width", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 255}}
        ],
        "responses": {
          "200": {"description": "Concatenated 32-byte hashes", "content": {"application/octet-stream": {}}},
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/tile/entries/{index}.p/{width}": {
      "get": {
        "operationId": "getPartialEntryBundle",
        "summary": "The first width entries of an entry bundle",
        "parameters": [
          {"name": "index", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}},
          {"name": "width", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 255}}
        ],
        "responses": {
          "200": {"description": "Entry bundle", "content": {"application/octet-stream": {}}},
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/healthz": {
      "get": {"operationId": "getHealth", "summary": "Health: the store answers and the log has a signed checkpoint", "responses": {"200": {"description": "{status, treeSize}", "content": {"application/json": {}}}, "500": {"$ref": "#/components/responses/Error"}}}
    },
    "/metrics": {
      "get": {"operationId": "getMetrics", "summary": "Prometheus metrics (requests, latencies, batch sizes, tree size)", "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {}}}}}
    },
    "/ping": {
      "get": {"operationId": "ping", "summary": "Heartbeat", "responses": {"200": {"description": "\".\"", "content": {"text/plain": {}}}}}
    }
  },
  "components": {
    "responses": {
      "Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "integer", "description": "HTTP status, or a 6xx validation code on 422"}, "message": {"type": "string"}}
      },
      "LogInfo": {
        "type": "object", "required": ["rootHash", "treeSize", "signedTreeHead", "treeID"],
        "properties": {
          "rootHash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
          "treeSize": {"type": "integer", "format": "int64", "minimum": 0},
          "signedTreeHead": {"type": "string"},
          "treeID": {"type": "string", "pattern": "^[0-9]+$"},
          "inactiveShards": {"type": "array", "nullable": true, "items": {"type": "object"}}
        }
      },
      "ConsistencyProof": {
        "type": "object", "required": ["rootHash", "hashes"],
        "properties": {"rootHash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "hashes": {"type": "array", "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}
      },
      "ProposedEntry": {
        "description": "One of the kinds and versions this server logs, told apart by kind and apiVersion",
        "oneOf": [
          {"$ref": "#/components/schemas/HashedRekordV001"},
          {"$ref": "#/components/schemas/DSSEV001"},
          {"$ref": "#/components/schemas/InTotoV002"},
          {"$ref": "#/components/schemas/InTotoV001"}
        ]
      },
      "HashedRekordV001": {
        "type": "object", "required": ["kind", "apiVersion", "spec"],
        "properties": {
          "kind": {"type": "string", "enum": ["hashedrekord"]},
          "apiVersion": {"type": "string", "enum": ["0.0.1"]},
          "spec": {
            "type": "object", "required": ["signature", "data"],
            "properties": {
              "signature": {"type": "object", "required": ["content", "publicKey"], "properties": {
                "content": {"type": "string", "format": "byte"},
                "publicKey": {"type": "object", "required": ["content"], "properties": {"content": {"type": "string", "format": "byte", "description": "base64 of a PEM public key, certificate or chain (at most 10 certificates)"}}}
              }},
              "data": {"type": "object", "required": ["hash"], "properties": {"hash": {"type": "object", "required": ["algorithm", "value"], "properties": {
                "algorithm": {"type": "string", "enum": ["sha256", "sha384", "sha512"]},
                "value": {"type": "string", "pattern": "^[0-9a-fA-F]+$"}
              }}}}
            }
          }
        }
      },
      "HashObject": {
        "type": "object", "required": ["algorithm", "value"],
        "properties": {"algorithm": {"type": "string", "enum": ["sha256"]}, "value": {"type": "string"}}
      },
      "DSSEV001": {
        "type": "object", "required": ["kind", "apiVersion", "spec"],
        "properties": {
          "kind": {"type": "string", "enum": ["dsse"]},
          "apiVersion": {"type": "string", "enum": ["0.0.1"]},
          "spec": {
            "type": "object", "required": ["proposedContent"],
            "properties": {
              "proposedContent": {"type": "object", "required": ["envelope", "verifiers"], "properties": {
                "envelope": {"type": "string", "description": "The DSSE envelope as JSON text: payloadType, payload (base64), signatures [{keyid, sig (base64)}]; every signature must verify over the DSSE PAE with one of the verifiers"},
                "verifiers": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "byte", "description": "base64 of a PEM public key, certificate or chain"}}
              }},
              "signatures": {"nullable": true, "description": "Only null or absent on a new entry (Rekor's committed-entry field)"},
              "envelopeHash": {"nullable": true, "description": "Only null or absent on a new entry"},
              "payloadHash": {"nullable": true, "description": "Only null or absent on a new entry"}
            }
          }
        }
      },
      "InTotoV002": {
        "type": "object", "required": ["kind", "apiVersion", "spec"],
        "properties": {
          "kind": {"type": "string", "enum": ["intoto"]},
          "apiVersion": {"type": "string", "enum": ["0.0.2"]},
          "spec": {
            "type": "object", "required": ["content"],
            "properties": {
              "content": {"type": "object", "required": ["envelope", "hash"], "properties": {
                "envelope": {"type": "object", "required": ["payloadType", "payload", "signatures"], "properties": {
                  "payloadType": {"type": "string"},
                  "payload": {"type": "string", "format": "byte", "description": "base64 of the DSSE payload's base64 text"},
                  "signatures": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["sig", "publicKey"], "properties": {
                    "keyid": {"type": "string"},
                    "sig": {"type": "string", "format": "byte", "description": "base64 of the DSSE signature's base64 text"},
                    "publicKey": {"type": "string", "format": "byte", "description": "base64 of a PEM public key or certificate; every key must verify a signature"}
                  }}}
                }},
                "hash": {"$ref": "#/components/schemas/HashObject"},
                "payloadHash": {"$ref": "#/components/schemas/HashObject"}
              }}
            }
          }
        }
      },
      "InTotoV001": {
        "type": "object", "required": ["kind", "apiVersion", "spec"],
        "properties": {
          "kind": {"type": "string", "enum": ["intoto"]},
          "apiVersion": {"type": "string", "enum": ["0.0.1"]},
          "spec": {
            "type": "object", "required": ["content", "publicKey"],
            "properties": {
              "content": {"type": "object", "required": ["envelope"], "properties": {
                "envelope": {"type": "string", "description": "The DSSE envelope as JSON text; at least one signature must verify with publicKey"},
                "hash": {"$ref": "#/components/schemas/HashObject"},
                "payloadHash": {"$ref": "#/components/schemas/HashObject"}
              }},
              "publicKey": {"type": "string", "format": "byte", "description": "base64 of a PEM public key or certificate"}
            }
          }
        }
      },
      "LogEntry": {
        "type": "object", "description": "One key: the 80-hex entry ID", "minProperties": 1, "maxProperties": 1,
        "additionalProperties": {
          "type": "object", "required": ["body", "integratedTime", "logID", "logIndex", "verification"],
          "properties": {
            "attestation": {"type": "object", "required": ["data"], "description": "An intoto entry's statement, on reads when the server keeps attestations; not covered by the SignedEntryTimestamp", "properties": {"data": {"type": "string", "format": "byte"}}},
            "body": {"type": "string", "format": "byte", "description": "base64 of the RFC 8785 canonical entry"},
            "integratedTime": {"type": "integer", "format": "int64"},
            "logID": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "logIndex": {"type": "integer", "format": "int64", "minimum": 0},
            "verification": {
              "type": "object", "required": ["inclusionProof", "signedEntryTimestamp"],
              "properties": {
                "signedEntryTimestamp": {"type": "string", "format": "byte"},
                "inclusionProof": {
                  "type": "object", "required": ["checkpoint", "hashes", "logIndex", "rootHash", "treeSize"],
                  "properties": {
                    "checkpoint": {"type": "string"},
                    "hashes": {"type": "array", "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
                    "logIndex": {"type": "integer", "format": "int64", "minimum": 0},
                    "rootHash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "treeSize": {"type": "integer", "format": "int64", "minimum": 1}
                  }
                }
              }
            }
          }
        }
      },
      "SearchLogQuery": {
        "type": "object",
        "properties": {
          "entryUUIDs": {"type": "array", "nullable": true, "minItems": 1, "maxItems": 10, "items": {"type": "string", "pattern": "^([0-9a-fA-F]{64}|[0-7][0-9a-fA-F]{79})$"}},
          "logIndexes": {"type": "array", "nullable": true, "minItems": 1, "maxItems": 10, "items": {"type": "integer", "format": "int64", "minimum": 0}},
          "entries": {"type": "array", "nullable": true, "minItems": 1, "maxItems": 10, "items": {"$ref": "#/components/schemas/ProposedEntry"}}
        }
      },
      "SearchIndex": {
        "type": "object",
        "properties": {
          "hash": {"type": "string", "nullable": true, "pattern": "^(sha512:)?[0-9a-fA-F]{128}$|^(sha256:)?[0-9a-fA-F]{64}$|^(sha1:)?[0-9a-fA-F]{40}$"},
          "publicKey": {"type": "object", "nullable": true, "required": ["format", "content"], "description": "Also finds dsse and intoto entries signed with the key", "properties": {"format": {"type": "string", "enum": ["x509"]}, "content": {"type": "string", "format": "byte", "description": "base64 of a PEM public key or certificate"}}},
          "email": {"type": "string", "nullable": true, "format": "email"},
          "subject": {"type": "string", "nullable": true, "minLength": 1, "maxLength": 512},
          "operator": {"type": "string", "nullable": true, "enum": ["and", "or"]}
        }
      }
    }
  }
}
"""#
}
