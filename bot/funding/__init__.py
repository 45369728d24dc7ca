"""The Förderradar's pure core: parse ``/foerderaufruf``, topics, deadlines, rendering."""
