package catalog

import "context"

// CheckServerUsage returns an error with code 42501 unless user holds USAGE
// on server (owners and superusers do; so does everyone on the built-in
// memory server). Queries and writes through a foreign table need it, as do
// DDL statements naming the server.
func (c *Catalog) CheckServerUsage(ctx context.Context, user, server string) error {
	if server == MemoryServer {
		return nil
	}
	return c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		s, err := tx.server(ctx, server)
		if err != nil {
			return err
		}
		if ok, err := tx.has(ctx, u, KindServer, s.Name, s.Owner, PrivUsage); err != nil || !ok {
			return denied(err, "foreign server", s.Name)
		}
		return nil
	})
}
