"""`kg serve`: a resident kg that keeps its build live and answers SPARQL over HTTP.

One module a job: `live` (the build kept in memory, rebuilt when the account
folders change), `oxstore` (the build in an Oxigraph store, changed graph by
graph), `sparql` (the SPARQL 1.1 Protocol: requests, limits, result formats),
`explore` (the explorer's opening view and the neighbourhoods it fetches) and
`app` (the Starlette application that routes HTTP requests to them).
"""
