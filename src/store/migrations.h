/* migrations: the ordered schema steps shared by every backend */
#ifndef LJ_MIGRATIONS_H
#define LJ_MIGRATIONS_H

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
