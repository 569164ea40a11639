"""What every domain package shares, and no one of them owns: the kinds of domain error
(`errors`), checking and normalizing business IDs, emails and phones (`validation`), the schema
pieces of every register entity (`schemas`), the suppression list (`suppression`), whose address
is it (`addresses`), CSV formula neutralizing (`csv_safety`) and the lock that orders erasures
against work copying a person's data (`person_copies`)."""
