import Foundation

/// Where a PostgreSQL store lives: `postgres://[user[:password]@][host][:port][/database][?sslmode=…]`
/// (`postgresql://` too), with what the URL leaves out taken from libpq's variables (`PGHOST`,
/// `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`) and then libpq's defaults, so
/// that `--store postgres://` alone means what `psql` alone would.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`, as far as this client can honour it.
    public enum TLSMode: String, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS with the server's certificate checked against the system's roots and its name.
        case require = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String? = nil,
                tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.tls = tls
    }

    /// Parses `text` with `environment` (normally the process's) filling the gaps.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let lower = text.lowercased()
        guard lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") else {
            throw PostgresStoreError.invalidLocation(text, "it must start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: text) else {
            throw PostgresStoreError.invalidLocation(text, "it is not a URL (percent-encode special characters in the password)")
        }
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        host = nonEmpty(components.host) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        if let port = components.port {
            self.port = port
        } else if let text = nonEmpty(environment["PGPORT"]) {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw PostgresStoreError.invalidLocation(text, "PGPORT is not a port number")
            }
            self.port = port
        } else {
            port = 5432
        }
        user = nonEmpty(components.user) ?? nonEmpty(environment["PGUSER"]) ?? nonEmpty(environment["USER"]) ?? "postgres"
        password = components.password ?? nonEmpty(environment["PGPASSWORD"])
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = nonEmpty(path) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        var mode = nonEmpty(environment["PGSSLMODE"]) ?? "prefer"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": mode = item.value ?? ""
            default:
                throw PostgresStoreError.invalidLocation(text, "unknown parameter \(item.name) (only sslmode is understood)")
            }
        }
        switch mode {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default:
            throw PostgresStoreError.invalidLocation(text, "sslmode \(mode) is not one of disable, prefer, require, verify-full")
        }
    }

    /// The location without its password, for logs and errors.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)" }
}
