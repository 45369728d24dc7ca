"""The Förderradar's pure core: parse ``/foerderaufruf`` and spreadsheet rows, topics, deadlines."""
