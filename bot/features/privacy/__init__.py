"""DSGVO self-service: /datenschutz, /meinedaten (readable export), /loeschen."""
