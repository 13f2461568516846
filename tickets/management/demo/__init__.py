"""Demo data for `manage.py seed_demo`: content (data, articles, histories) and the code that loads it
(seeder: people, organisation, configuration, KB; playback: ticket histories through the services)."""
