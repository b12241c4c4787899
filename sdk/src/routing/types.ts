/** OpenADR 3 VTN, IEEE 2030.5 server, OCPP 2.0.1 CSMS. */
export type Protocol = 'openAdr3Vtn' | 'ieee2030Dot5' | 'ocpp201Csms';
