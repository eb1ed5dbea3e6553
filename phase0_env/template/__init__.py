"""The one-click project template (`roadmap new-project`) and milestone starters (`roadmap new`)."""
