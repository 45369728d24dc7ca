"""The editorial loop: /luecken work queue (clusters, accept into an entry), /pruefen, /neuladen."""
